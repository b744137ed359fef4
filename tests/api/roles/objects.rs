//! The named objects of the table (what each is: the table's header), where each lives, and the
//! kinds of named things its columns and lists use.

/// The named branches.
pub const BRANCHES: [&str; 3] = ["A", "B", "MAIN"];

/// Where an object lives: this store's sandbox, its production environment, or the other merchant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Home {
    Sandbox,
    Production,
    Foreign,
}

/// The home of an actor's key (NOKEY and BADKEY: the sandbox they pretend to call).
pub fn actor_home(actor: &str) -> Home {
    match actor {
        "PRODUCTION" => Home::Production,
        "FOREIGN" => Home::Foreign,
        _ => Home::Sandbox,
    }
}

/// A named payment link.
pub struct LinkObj {
    pub name: &'static str,
    pub creator: &'static str,
    /// The branch named at creation.
    pub branch: Option<&'static str>,
    /// Cancelled by its home's owner afterwards.
    pub cancelled: bool,
}

const fn link(name: &'static str, creator: &'static str, branch: Option<&'static str>, cancelled: bool) -> LinkObj {
    LinkObj { name, creator, branch, cancelled }
}

pub const LINKS: [LinkObj; 8] = [
    link("link_a1", "CASHIER_A1", None, false),
    link("link_a2", "CASHIER_A2", None, false),
    link("link_b1", "CASHIER_B1", None, false),
    link("link_owner", "OWNER", None, false),
    link("link_owner_a", "OWNER", Some("A"), false),
    link("done_a1", "CASHIER_A1", None, true),
    link("link_prod", "PRODUCTION", None, false),
    link("link_foreign", "FOREIGN", None, false),
];

/// How a named payment is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paid {
    /// The sandbox card that succeeds.
    Card,
    /// A declining sandbox card: a failed payment, the link stays open.
    Declined,
    /// Recorded in cash by the link's creator.
    Cash,
}

/// A named payment, of one of the named links.
pub struct PaymentObj {
    pub name: &'static str,
    pub link: &'static str,
    pub paid: Paid,
}

const fn payment(name: &'static str, link: &'static str, paid: Paid) -> PaymentObj {
    PaymentObj { name, link, paid }
}

/// In this order: `failed_a1` is made before `pay_a1` pays link_a1.
pub const PAYMENTS: [PaymentObj; 8] = [
    payment("failed_a1", "link_a1", Paid::Declined),
    payment("pay_a1", "link_a1", Paid::Card),
    payment("pay_a2", "link_a2", Paid::Card),
    payment("pay_b1", "link_b1", Paid::Card),
    payment("pay_owner", "link_owner", Paid::Card),
    payment("pay_owner_a", "link_owner_a", Paid::Card),
    payment("pay_prod", "link_prod", Paid::Cash),
    payment("pay_foreign", "link_foreign", Paid::Card),
];

/// How a named refund comes to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Made {
    /// Made once while the world is built (and as a fresh copy for each write cell).
    Pristine,
    /// Only as a fresh copy for each write cell.
    Copy,
    /// Only as a fresh copy, rejected by its home's owner before the cell.
    Rejected,
    /// Only as a fresh copy requested by the acting actor itself.
    Own,
}

/// A named refund: of which payment, how much, requested by its home's MAKER (`Own`: the actor).
pub struct RefundObj {
    pub name: &'static str,
    pub payment: &'static str,
    pub amount: &'static str,
    pub made: Made,
}

const fn refund(name: &'static str, payment: &'static str, amount: &'static str, made: Made) -> RefundObj {
    RefundObj { name, payment, amount, made }
}

/// The store's supervisor approval limit while the table runs.
pub const SUPERVISOR_LIMIT: &str = "1.00";

pub const REFUNDS: [RefundObj; 11] = [
    refund("refund_a1", "pay_a1", "0.01", Made::Pristine),
    refund("refund_a2", "pay_a2", "0.01", Made::Pristine),
    refund("refund_b1", "pay_b1", "0.01", Made::Pristine),
    refund("refund_owner", "pay_owner", "0.01", Made::Pristine),
    refund("refund_owner_a", "pay_owner_a", "0.01", Made::Pristine),
    refund("refund_prod", "pay_prod", "0.01", Made::Pristine),
    refund("refund_foreign", "pay_foreign", "0.01", Made::Pristine),
    refund("limit_a1", "pay_a1", SUPERVISOR_LIMIT, Made::Copy),
    refund("over_a1", "pay_a1", "1.01", Made::Copy),
    refund("decided_a1", "pay_a1", "0.01", Made::Rejected),
    // The payment depends on the actor: see `own_payment`.
    refund("own", "", "0.01", Made::Own),
];

/// The payment an actor's own refund (`own`) is requested on: one it may request a refund of.
pub fn own_payment(actor: &str) -> &'static str {
    match actor_home(actor) {
        Home::Sandbox => "pay_a1",
        Home::Production => "pay_prod",
        Home::Foreign => "pay_foreign",
    }
}

/// A named customer: its creator and the branch named at creation.
pub struct CustomerObj {
    pub name: &'static str,
    pub creator: &'static str,
    pub branch: Option<&'static str>,
}

const fn customer(name: &'static str, creator: &'static str, branch: Option<&'static str>) -> CustomerObj {
    CustomerObj { name, creator, branch }
}

pub const CUSTOMERS: [CustomerObj; 6] = [
    customer("cust_a", "SUPERVISOR_A", None),
    customer("cust_owner_a", "OWNER", Some("A")),
    customer("cust_b", "OWNER", Some("B")),
    customer("cust_store", "OWNER", None),
    customer("cust_prod", "PRODUCTION", None),
    customer("cust_foreign", "FOREIGN", None),
];

/// The named audit entries (what each records: the table's header).
pub const AUDITS: [&str; 5] = ["audit_a1", "audit_user", "audit_prod", "audit_foreign", "audit_store2"];

pub fn link_obj(name: &str) -> &'static LinkObj {
    LINKS.iter().find(|o| o.name == name).unwrap_or_else(|| panic!("roles.table: unknown link {name}"))
}

pub fn payment_obj(name: &str) -> &'static PaymentObj {
    PAYMENTS.iter().find(|o| o.name == name).unwrap_or_else(|| panic!("roles.table: unknown payment {name}"))
}

pub fn refund_obj(name: &str) -> &'static RefundObj {
    REFUNDS.iter().find(|o| o.name == name).unwrap_or_else(|| panic!("roles.table: unknown refund {name}"))
}

pub fn customer_obj(name: &str) -> &'static CustomerObj {
    CUSTOMERS.iter().find(|o| o.name == name).unwrap_or_else(|| panic!("roles.table: unknown customer {name}"))
}

/// The kinds of named things.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Of {
    Link,
    Payment,
    Refund,
    Customer,
    Audit,
    Branch,
    /// Users, and keys named by the user they are bound to.
    User,
}

/// The named objects of a kind that exist outside write cells (users: those of the world).
pub fn names(of: Of) -> Vec<&'static str> {
    match of {
        Of::Link => LINKS.iter().map(|o| o.name).collect(),
        Of::Payment => PAYMENTS.iter().map(|o| o.name).collect(),
        Of::Refund => REFUNDS.iter().filter(|o| o.made == Made::Pristine).map(|o| o.name).collect(),
        Of::Customer => CUSTOMERS.iter().map(|o| o.name).collect(),
        Of::Audit => AUDITS.to_vec(),
        Of::Branch => BRANCHES.to_vec(),
        Of::User => Vec::new(),
    }
}
