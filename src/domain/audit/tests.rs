use super::*;

fn entry(n: u8) -> NewAuditEntry {
    NewAuditEntry {
        id: AuditId::generate(1_700_000_000_000 + u64::from(n), [n; 10]),
        merchant_id: MerchantId::generate(1, [1; 10]),
        store_id: Some(StoreId::generate(1, [2; 10])),
        environment: Some(Environment::Sandbox),
        actor: AuditActor {
            id: "usr_x".into(),
            key_id: Some("key_x".into()),
            role: Some("OWNER".into()),
            branch_id: None,
        },
        action: "payment_link.create".into(),
        object_type: "payment_link".into(),
        object_id: format!("plink_{n}"),
        before: None,
        after: Some(format!("{{\"n\":{n}}}")),
        request_id: None,
        created_at: Timestamp::from_micros(i64::from(n)),
    }
}

/// A well-formed chain of `n` entries and its head.
fn chain(n: u8) -> (Vec<ChainedEntry>, Head) {
    let mut prev = GENESIS.to_owned();
    let mut out = Vec::new();
    for i in 1..=n {
        let e = entry(i);
        let hash = chain_hash(&prev, i64::from(i), &e);
        out.push(ChainedEntry { entry: e, seq: i64::from(i), prev_hash: Some(prev), hash: Some(hash.clone()) });
        prev = hash;
    }
    let last = out.last().map(|c| c.entry.id.as_str().to_owned());
    (out, Head { last_seq: i64::from(n), last_hash: prev, last_id: last })
}

fn walk(entries: &[ChainedEntry], head: &Head) -> Result<i64, Break> {
    let mut check = ChainCheck::default();
    for e in entries {
        check.step(e)?;
    }
    check.finish(head).map(|()| check.count())
}

#[test]
fn an_intact_chain_passes() {
    let (entries, head) = chain(5);
    assert_eq!(walk(&entries, &head), Ok(5));
    assert_eq!(walk(&[], &Head { last_seq: 0, last_hash: GENESIS.into(), last_id: None }), Ok(0));
}

#[test]
fn every_content_field_is_covered_by_the_hash() {
    let (mut entries, head) = chain(3);
    entries[1].entry.after = Some("{\"n\":99}".into());
    let b = walk(&entries, &head).unwrap_err();
    assert_eq!((b.id.as_str(), b.seq), (entries[1].entry.id.as_str(), 2));
    assert!(b.problem.starts_with("hash mismatch"), "{b:?}");
    let base = entry(1);
    let h = chain_hash(GENESIS, 1, &base);
    let mut variants = vec![base.clone(); 4];
    variants[0].before = Some(String::new());
    variants[1].actor.role = Some("ADMIN".into());
    variants[2].created_at = Timestamp::from_micros(2);
    variants[3].request_id = Some("r".into());
    for v in variants {
        assert_ne!(chain_hash(GENESIS, 1, &v), h, "{v:?}");
    }
    assert_ne!(chain_hash(GENESIS, 2, &base), h, "the position is covered");
}

#[test]
fn a_deleted_entry_is_a_missing_seq() {
    let (mut entries, head) = chain(4);
    entries.remove(1);
    let b = walk(&entries, &head).unwrap_err();
    assert_eq!(b.seq, 3);
    assert!(b.problem.starts_with("missing seq 2"), "{b:?}");
    let (mut entries, head) = chain(4);
    let last = entries.pop().unwrap();
    let b = walk(&entries, &head).unwrap_err();
    assert_eq!((b.id.as_str(), b.seq), (last.entry.id.as_str(), 4));
    assert!(b.problem.starts_with("missing seq 4"), "{b:?}");
}

#[test]
fn swapped_positions_break_the_order() {
    let (mut entries, head) = chain(4);
    entries.swap(1, 2);
    (entries[1].seq, entries[2].seq) = (2, 3);
    let b = walk(&entries, &head).unwrap_err();
    assert_eq!((b.id.as_str(), b.seq), (entries[1].entry.id.as_str(), 2));
    assert!(b.problem.starts_with("order"), "{b:?}");
}

#[test]
fn a_head_that_names_another_entry_is_reported() {
    let (entries, mut head) = chain(2);
    head.last_hash = GENESIS.into();
    assert!(walk(&entries, &head).unwrap_err().problem.starts_with("head mismatch"));
}

#[test]
fn audit_ids_parse_only_their_own_kind() {
    let id = AuditId::generate(1, [3; 10]);
    assert_eq!(AuditId::parse(id.as_str()), Some(id));
    assert!(AuditId::parse("aud_x").is_none() && AuditId::parse("evt_01JD0000000000000000000000").is_none());
}
