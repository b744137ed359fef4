//! The merchant the benchmark acts as, and realistic seeded links: a few branches with a cashier
//! each, Saudi customers and products, a mix of statuses, created over the past year. Search needs
//! words that really occur, and list filters need rows that really match, so the vocabulary here
//! is shared with the scenarios.

use super::rng::Rng;
use paylink::domain::access::Role;
use paylink::domain::id::{BranchId, LinkId, MerchantId, StoreId, UserId};
use paylink::domain::link::{Customer, Language, Link, LinkStatus};
use paylink::domain::money::{Currency, Money};
use paylink::domain::tenancy::User;
use paylink::domain::{Environment, Timestamp};
use paylink::service::{Ctx, ServiceError, admin, bootstrap, secrets};
use paylink::store::tenancy;

/// Products in titles (`q` finds them: each is in about 1 title in 24).
pub const PRODUCTS: &[&str] = &[
    "Abaya",
    "Oud perfume",
    "Dates gift box",
    "Arabic coffee set",
    "Thobe",
    "Shemagh",
    "Prayer rug",
    "Bukhoor",
    "Saffron",
    "Honey jar",
    "Kunafa tray",
    "Laptop repair",
    "Phone case",
    "Gold bracelet",
    "Silver ring",
    "Tailoring",
    "Catering",
    "Car wash",
    "Gym membership",
    "Tutoring",
    "Flower bouquet",
    "Cake order",
    "Furniture delivery",
    "Eid hamper",
];

/// Customer first names.
pub const FIRST_NAMES: &[&str] = &[
    "Mohammed",
    "Abdullah",
    "Fahad",
    "Faisal",
    "Khalid",
    "Saud",
    "Omar",
    "Yousef",
    "Nasser",
    "Turki",
    "Sultan",
    "Ahmed",
    "Noura",
    "Sara",
    "Reem",
    "Lama",
    "Hessa",
    "Maha",
    "Aljawhara",
    "Dana",
    "Layan",
    "Ghada",
    "Amal",
    "Hind",
];

/// Customer family names (`q` finds them: each is in about 1 link in 45).
pub const LAST_NAMES: &[&str] = &[
    "Al-Qahtani",
    "Al-Otaibi",
    "Al-Harbi",
    "Al-Ghamdi",
    "Al-Zahrani",
    "Al-Dosari",
    "Al-Shehri",
    "Al-Mutairi",
    "Al-Anazi",
    "Al-Shammari",
    "Al-Subaie",
    "Al-Malki",
    "Al-Juhani",
    "Al-Rashidi",
    "Al-Yami",
    "Al-Asmari",
    "Al-Saud",
    "Al-Faisal",
    "Al-Rasheed",
    "Al-Sulaiman",
    "Al-Hamad",
    "Al-Khalidi",
    "Al-Omari",
    "Al-Bakri",
    "Al-Hajri",
    "Al-Marri",
    "Al-Tamimi",
    "Al-Sharif",
    "Al-Amri",
    "Al-Sayed",
    "Al-Najjar",
    "Al-Hashimi",
];

/// Extra branches next to the demo `MAIN-001`.
const BRANCH_CODES: &[&str] = &["RIYADH-002", "JEDDAH-001", "DAMMAM-001"];

/// The merchant the load acts as: its owner key, store, branches and who creates links where.
pub struct Tenant {
    /// The owner's sandbox key (sees every branch).
    pub key: String,
    pub store_id: StoreId,
    /// The demo owner (the dashboard scenario signs in as them).
    pub owner: UserId,
    pub branches: Vec<BranchId>,
    /// Per branch: the principals who create links there (the owner and the branch cashier).
    pub creators: Vec<Vec<String>>,
    /// The methods seeded payments use.
    pub methods: super::paid::Methods,
}

/// Creates the demo merchant (as the server's first start would), three more branches and one
/// cashier per branch, directly through the services.
pub async fn setup(ctx: &Ctx) -> Result<Tenant, String> {
    let demo = bootstrap::bootstrap_if_empty(ctx)
        .await
        .map_err(|e| format!("bootstrap: {e}"))?
        .ok_or("bootstrap: the temporary database was not empty")?;
    let (merchant, store) = (demo.merchant_id.clone(), demo.store_id.clone());
    let (owner, now) = (demo.owner_user_id.clone(), ctx.clock.now());
    let main = demo.branch_id.clone().ok_or("bootstrap created no branch")?;
    let (branches, creators, methods) = ctx
        .db
        .write(move |c| {
            let merchant = MerchantId::from_trusted(merchant);
            let store = StoreId::from_trusted(store);
            let methods = super::paid::methods(c, &store, now)?;
            let mut branches = vec![BranchId::from_trusted(main)];
            for code in BRANCH_CODES {
                branches.push(admin::create_branch(c, &store, code, &format!("Branch {code}"), now)?.id);
            }
            let mut creators = Vec::new();
            for (i, b) in branches.iter().enumerate() {
                let cashier = cashier(&merchant, b, i, now);
                // Inserted without a password: argon2 needs 19 MiB per hash, which the allocator
                // keeps, and the benchmark would then report it as the server's idle memory.
                tenancy::insert_user(c, &cashier, "!no-login")?;
                creators.push(vec![owner.clone(), cashier.id.to_string()]);
            }
            Ok::<_, ServiceError>((branches, creators, methods))
        })
        .await
        .map_err(|e| format!("bench fixtures: {e}"))?;
    let owner = UserId::from_trusted(demo.owner_user_id);
    let store_id = StoreId::from_trusted(demo.store_id);
    Ok(Tenant { key: demo.sandbox_key, store_id, owner, branches, creators, methods })
}

/// A cashier of branch `b` (index `i`) who creates links there.
fn cashier(merchant: &MerchantId, b: &BranchId, i: usize, now: Timestamp) -> User {
    let (ms, rnd) = secrets::id_parts(now);
    User {
        id: UserId::generate(ms, rnd),
        merchant_id: merchant.clone(),
        email: format!("cashier{i}@bench.example.com"),
        name: format!("Cashier {}", i + 1),
        role: Role::Cashier,
        branch_id: Some(b.clone()),
        disabled_at: None,
        created_at: now,
        updated_at: now,
        must_change_password: false,
        language: paylink::domain::link::Language::Ar,
        two_factor_since: None,
    }
}

/// A seeded link and what the scenarios need to know about it.
pub struct Seeded {
    pub link: Link,
    pub branch: usize,
}

/// Builds link number `n` (its rank in creation order) created at `created`; `paid` percent of
/// links are paid.
pub fn link(t: &Tenant, rng: &mut Rng, n: u64, (created, now): (Timestamp, Timestamp), paid: u64) -> Seeded {
    // Branch sizes differ, as in a real store: MAIN takes the most.
    let branch = [0, 0, 0, 1, 1, 2, 2, 3][rng.below(8) as usize];
    let sar = Currency::parse("SAR").expect("SAR is supported");
    let (status, expires_at) = status(rng, (created, now), paid);
    let amount = Money::from_minor((1_000 + rng.below(500_000) as i64) / 5 * 5, sar);
    let link = Link {
        id: LinkId::generate(created.millis(), rng.bytes10()),
        store_id: t.store_id.clone(),
        environment: Environment::Sandbox,
        branch_id: Some(t.branches[branch].clone()),
        created_by: rng.pick(&t.creators[branch]).clone(),
        amount,
        title: format!("{}, order {}", rng.pick(PRODUCTS), 10_000 + n),
        description: rng.chance(20).then(|| "Pickup from the branch; call on arrival".to_owned()),
        reference_id: rng.chance(60).then(|| reference(n)),
        single_use: true,
        max_payments: None,
        expires_at,
        customer: customer(rng, n),
        language: if rng.chance(70) { Language::Ar } else { Language::En },
        address_required: rng.chance(10),
        send_sms: rng.chance(50),
        send_email: false,
        callback_url: None,
        success_url: None,
        cancel_url: None,
        metadata: format!("{{\"pos\":\"{}\"}}", rng.below(20)),
        secret: format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64()),
        short_code: rng.base62(10),
        status,
        payments_count: (status == LinkStatus::Paid) as i64,
        amount_paid_minor: if status == LinkStatus::Paid { amount.minor() } else { 0 },
        created_at: created,
        updated_at: created,
        payment_methods: None,
        dialect: None,
        dialect_ref: None,
        callback_events: None,
        address_prefill: None,
        image_id: None,
    };
    Seeded { link, branch }
}

/// The invoice reference of link `n` (a rare search term: one link at most).
pub fn reference(n: u64) -> String {
    format!("INV-{n:07}")
}

/// `paid` % paid (at most 85), 8 % cancelled, 7 % expired, the rest open (a third of those with
/// a future expiry). The default 15 % paid gives 70 % open.
fn status(rng: &mut Rng, (created, now): (Timestamp, Timestamp), paid: u64) -> (LinkStatus, Option<Timestamp>) {
    let roll = rng.below(100);
    let open = 85 - paid.min(85);
    let days = |d: u64| (d * 86_400) as i64;
    match roll {
        r if r < open && r % 3 == 0 => (LinkStatus::Open, Some(now.plus_secs(days(1 + rng.below(30))))),
        r if r < open => (LinkStatus::Open, None),
        0..85 => (LinkStatus::Paid, None),
        85..93 => (LinkStatus::Cancelled, None),
        _ => (LinkStatus::Expired, Some(created.plus_secs(days(1)))),
    }
}

fn customer(rng: &mut Rng, n: u64) -> Customer {
    let named = rng.chance(70);
    let first = named.then(|| rng.pick(FIRST_NAMES).to_string());
    let last = named.then(|| rng.pick(LAST_NAMES).to_string());
    let email = match (&first, rng.chance(40)) {
        (Some(f), true) => Some(format!("{}.{n}@example.com", f.to_lowercase())),
        _ => None,
    };
    let phone = rng.chance(80).then(|| format!("+9665{}", rng.digits(8)));
    Customer { id: None, phone, email, first_name: first, last_name: last }
}
