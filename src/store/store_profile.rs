//! A store's profile row (`stores`): read and written whole.

use super::conn::{Conn, DbError, Row};
use crate::domain::id::StoreId;
use crate::domain::link::Language;
use crate::domain::money::Currency;
use crate::domain::store_profile::StoreProfile;
use crate::params;

const SELECT: &str = "SELECT name, currency, default_language, time_zone, support_phone, support_email, \
                      notify_per_link_per_hour, notify_per_store_per_hour FROM stores WHERE id = ?1";

/// The store's profile (`None` for a store that does not exist).
pub fn get(c: &mut dyn Conn, store: &StoreId) -> Result<Option<StoreProfile>, DbError> {
    c.query_opt(SELECT, params![store.as_str()])?.map(|r| decode(&r)).transpose()
}

fn decode(r: &Row) -> Result<StoreProfile, DbError> {
    Ok(StoreProfile {
        name: r.text(0usize)?,
        currency: Currency::parse(&r.text(1usize)?).map_err(|_| DbError::decode(1usize))?,
        default_language: Language::parse(&r.text(2usize)?).ok_or_else(|| DbError::decode(2usize))?,
        time_zone: r.text(3usize)?,
        support_phone: r.opt_text(4usize)?,
        support_email: r.opt_text(5usize)?,
        notify_per_link_per_hour: r.opt_i64(6usize)?,
        notify_per_store_per_hour: r.opt_i64(7usize)?,
    })
}

/// Writes every changeable field of the profile (not the currency).
pub fn set(c: &mut dyn Conn, store: &StoreId, p: &StoreProfile) -> Result<(), DbError> {
    let sql = "UPDATE stores SET name = ?2, default_language = ?3, time_zone = ?4, support_phone = ?5, \
               support_email = ?6, notify_per_link_per_hour = ?7, notify_per_store_per_hour = ?8 WHERE id = ?1";
    let values = params![
        store.as_str(),
        p.name.as_str(),
        p.default_language.as_str(),
        p.time_zone.as_str(),
        p.support_phone.clone(),
        p.support_email.clone(),
        p.notify_per_link_per_hour,
        p.notify_per_store_per_hour
    ];
    c.execute(sql, values).map(|_| ())
}

/// The store's time zone name.
pub fn zone_name(c: &mut dyn Conn, store: &StoreId) -> Result<Option<String>, DbError> {
    c.query_opt("SELECT time_zone FROM stores WHERE id = ?1", params![store.as_str()])?
        .map(|r| r.text(0usize))
        .transpose()
}

/// The store's own notification caps: (per link per hour, per store per hour), `None` where the
/// store keeps the instance's.
pub fn caps(c: &mut dyn Conn, store: &StoreId) -> Result<(Option<i64>, Option<i64>), DbError> {
    let sql = "SELECT notify_per_link_per_hour, notify_per_store_per_hour FROM stores WHERE id = ?1";
    let row = c.query_opt(sql, params![store.as_str()])?;
    row.map_or(Ok((None, None)), |r| Ok((r.opt_i64(0usize)?, r.opt_i64(1usize)?)))
}
