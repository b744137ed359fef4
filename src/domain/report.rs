//! Report figures: what was collected and refunded, per day of the store's time zone, per payment
//! method and per branch, and how many links created were paid. The database sums each day's
//! rows (between the day's first instants in the store's zone, `domain::zone`) into groups by
//! method, place and branch; this module folds those groups into days, methods and branches, so
//! the same queries serve every breakdown.

use super::zone::Day;
use std::collections::BTreeMap;

/// Succeeded payments or refunds summed over one group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoneyGroup {
    /// The day of the range (0 is the first).
    pub day: usize,
    /// The payment's method (`card`, `mobile_money`, `installments`, `cash`).
    pub method: String,
    /// Taken or handed back at a branch (an offline payment, a cash refund) rather than online.
    pub at_branch: bool,
    pub branch_id: Option<String>,
    pub minor: i64,
    pub count: i64,
}

/// Links created in one group, and how many of them have been paid at least once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkGroup {
    /// The day of the range (0 is the first).
    pub day: usize,
    pub branch_id: Option<String>,
    pub created: i64,
    pub paid: i64,
}

/// Figures of one day, method, branch or the whole range (amounts in the report's currency).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    /// Succeeded payments.
    pub payments: i64,
    /// Their sum, minor units.
    pub collected: i64,
    /// Succeeded refunds.
    pub refunds: i64,
    /// Their sum, minor units.
    pub refunded: i64,
    /// Links created.
    pub links_created: i64,
    /// Of those, links paid at least once.
    pub links_paid: i64,
}

impl Figures {
    /// Collected less refunded.
    pub fn net(&self) -> i64 {
        self.collected - self.refunded
    }

    /// Links paid per thousand links created (`None` when none were created).
    pub fn conversion_permille(&self) -> Option<i64> {
        (self.links_created > 0).then(|| self.links_paid * 1000 / self.links_created)
    }

    fn add_payments(&mut self, g: &MoneyGroup) {
        self.payments += g.count;
        self.collected += g.minor;
    }

    fn add_refunds(&mut self, g: &MoneyGroup) {
        self.refunds += g.count;
        self.refunded += g.minor;
    }

    fn add_links(&mut self, g: &LinkGroup) {
        self.links_created += g.created;
        self.links_paid += g.paid;
    }
}

/// The groups of a range, as the database summed them.
#[derive(Clone, Debug, Default)]
pub struct Groups {
    pub payments: Vec<MoneyGroup>,
    pub refunds: Vec<MoneyGroup>,
    pub links: Vec<LinkGroup>,
}

/// The report's breakdowns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Breakdown {
    /// Every day of the range in order, days with nothing included.
    pub days: Vec<(Day, Figures)>,
    /// Per method, by name.
    pub methods: Vec<(String, Figures)>,
    /// Per branch (`None`: links with no branch), by id.
    pub branches: Vec<(Option<String>, Figures)>,
    pub total: Figures,
}

impl Groups {
    /// Folds the groups into `days` (the range's days in order; a group's `day` indexes them),
    /// methods and branches.
    pub fn fold(&self, days: &[Day]) -> Breakdown {
        let mut per_day = vec![Figures::default(); days.len()];
        let mut methods: BTreeMap<String, Figures> = BTreeMap::new();
        let mut branches: BTreeMap<Option<String>, Figures> = BTreeMap::new();
        let mut total = Figures::default();
        for g in &self.payments {
            if let Some(f) = per_day.get_mut(g.day) {
                f.add_payments(g);
            }
            total.add_payments(g);
            methods.entry(g.method.clone()).or_default().add_payments(g);
            branches.entry(g.branch_id.clone()).or_default().add_payments(g);
        }
        for g in &self.refunds {
            if let Some(f) = per_day.get_mut(g.day) {
                f.add_refunds(g);
            }
            total.add_refunds(g);
            methods.entry(g.method.clone()).or_default().add_refunds(g);
            branches.entry(g.branch_id.clone()).or_default().add_refunds(g);
        }
        for g in &self.links {
            if let Some(f) = per_day.get_mut(g.day) {
                f.add_links(g);
            }
            total.add_links(g);
            branches.entry(g.branch_id.clone()).or_default().add_links(g);
        }
        Breakdown {
            days: days.iter().copied().zip(per_day).collect(),
            methods: methods.into_iter().collect(),
            branches: branches.into_iter().collect(),
            total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(day: usize, method: &str, branch: Option<&str>, minor: i64) -> MoneyGroup {
        MoneyGroup { day, method: method.into(), at_branch: false, branch_id: branch.map(Into::into), minor, count: 1 }
    }

    #[test]
    fn groups_fold_into_days_methods_and_branches() {
        let groups = Groups {
            payments: vec![money(0, "card", Some("b1"), 1000), money(1, "cash", None, 500)],
            refunds: vec![money(1, "card", Some("b1"), 300)],
            links: vec![LinkGroup { day: 2, branch_id: None, created: 4, paid: 1 }],
        };
        let days: Vec<Day> = ["2026-12-01", "2026-12-02", "2026-12-03"].map(|d| Day::parse(d).unwrap()).to_vec();
        let b = groups.fold(&days);
        let days: Vec<_> = b.days.iter().map(|(d, f)| (d.to_string(), f.collected, f.refunded)).collect();
        assert_eq!(
            days,
            [("2026-12-01".into(), 1000, 0), ("2026-12-02".into(), 500, 300), ("2026-12-03".into(), 0, 0)]
        );
        assert_eq!(
            b.methods.iter().map(|(m, f)| (m.as_str(), f.net())).collect::<Vec<_>>(),
            [("card", 700), ("cash", 500)]
        );
        assert_eq!(
            b.branches[1],
            (
                Some("b1".to_owned()),
                Figures { payments: 1, collected: 1000, refunds: 1, refunded: 300, ..Figures::default() }
            )
        );
        assert_eq!((b.total.net(), b.total.payments), (1200, 2));
    }

    #[test]
    fn conversion_is_links_paid_per_thousand_created() {
        let f = Figures { links_created: 3, links_paid: 2, ..Figures::default() };
        assert_eq!(f.conversion_permille(), Some(666));
        assert_eq!(Figures::default().conversion_permille(), None);
    }
}
