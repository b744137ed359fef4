//! Roles and the permission matrix of docs/roles.md, as data. Visibility decides whether an object
//! exists for an actor (outside it: 404); the action table decides what the actor may do with a
//! visible object (refused: 403).

use super::Environment;
use super::id::{BranchId, KeyId, MerchantId, StoreId, UserId};

/// A staff role in a merchant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    Owner,
    Admin,
    Operation,
    Accounting,
    Supervisor,
    Cashier,
}

impl Role {
    /// All roles, in order of authority.
    pub const ALL: [Role; 6] =
        [Role::Owner, Role::Admin, Role::Operation, Role::Accounting, Role::Supervisor, Role::Cashier];

    /// The stored and displayed name (`OWNER`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "OWNER",
            Role::Admin => "ADMIN",
            Role::Operation => "OPERATION",
            Role::Accounting => "ACCOUNTING",
            Role::Supervisor => "SUPERVISOR",
            Role::Cashier => "CASHIER",
        }
    }

    /// Parses a role name, case-insensitively.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str().eq_ignore_ascii_case(s))
    }

    /// SUPERVISOR and CASHIER work in one branch and must have one.
    pub fn needs_branch(self) -> bool {
        matches!(self, Role::Supervisor | Role::Cashier)
    }
}

/// Who is acting: resolved from an API key (and the user it is bound to).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub merchant_id: MerchantId,
    pub store_id: StoreId,
    pub environment: Environment,
    pub role: Role,
    /// The branch a SUPERVISOR or CASHIER works in.
    pub branch_id: Option<BranchId>,
    /// The user the key is bound to, or the user signed in to the dashboard.
    pub user_id: Option<UserId>,
    /// The API key the request came with (`None` for a dashboard session).
    pub key_id: Option<KeyId>,
}

impl Actor {
    /// The principal recorded as `created_by`: the user, or the key for a role-bound key.
    pub fn principal(&self) -> String {
        match &self.user_id {
            Some(u) => u.to_string(),
            None => self.key_id.as_ref().map_or_else(String::new, |k| k.to_string()),
        }
    }
}

/// What an object looks like to the access rules: where it lives and who made it.
#[derive(Clone, Copy, Debug)]
pub struct Owned<'a> {
    pub branch_id: Option<&'a BranchId>,
    pub created_by: &'a str,
}

/// The part of a store an actor sees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// Every object of the store.
    All,
    /// Objects of one branch.
    Branch(BranchId),
    /// Objects this principal created in this branch.
    Own { branch_id: BranchId, principal: String },
    /// Nothing (a branch role without a branch: refused rather than guessed).
    Nothing,
}

/// Operations gated by role (docs/roles.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    CreateLink,
    /// Cancel, update or resend a link.
    ManageLink,
    RequestRefund,
    DecideRefund,
    WriteCustomers,
    ReadCustomers,
    Export,
    /// Users, branches, keys, webhooks, settings.
    Administer,
}

/// How far an allowed action reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    None,
    /// Objects created by the actor in their branch.
    Own,
    /// Objects of the actor's branch.
    Branch,
    All,
}

/// The matrix of docs/roles.md: rows are actions, columns the roles in `Role::ALL` order.
pub fn reach(role: Role, action: Action) -> Reach {
    use Reach::{All as A, Branch as B, None as N, Own as O};
    let row: [Reach; 6] = match action {
        Action::CreateLink => [A, A, A, N, B, B],
        Action::ManageLink => [A, A, A, N, B, O],
        Action::RequestRefund => [A, A, A, A, B, N],
        Action::DecideRefund => [A, A, N, A, B, N],
        Action::WriteCustomers => [A, A, A, N, B, N],
        Action::ReadCustomers => [A, A, A, A, B, N],
        Action::Export => [A, A, A, A, B, N],
        Action::Administer => [A, A, N, N, N, N],
    };
    row[Role::ALL.iter().position(|r| *r == role).unwrap_or(5)]
}

/// What the actor can see (seed 000's rules).
pub fn visibility(actor: &Actor) -> Visibility {
    match (actor.role, &actor.branch_id) {
        (Role::Owner | Role::Admin | Role::Operation | Role::Accounting, _) => Visibility::All,
        (Role::Supervisor, Some(b)) => Visibility::Branch(b.clone()),
        (Role::Cashier, Some(b)) => Visibility::Own { branch_id: b.clone(), principal: actor.principal() },
        (_, None) => Visibility::Nothing,
    }
}

impl Visibility {
    /// Whether an object falls inside this part of the store.
    pub fn allows(&self, obj: Owned<'_>) -> bool {
        match self {
            Visibility::All => true,
            Visibility::Branch(b) => obj.branch_id == Some(b),
            Visibility::Own { branch_id, principal } => obj.branch_id == Some(branch_id) && obj.created_by == principal,
            Visibility::Nothing => false,
        }
    }
}

/// Whether an object is visible to the actor (if not, it answers 404).
pub fn can_see(actor: &Actor, obj: Owned<'_>) -> bool {
    visibility(actor).allows(obj)
}

/// Whether the actor may perform `action` on a visible object (if not, 403).
pub fn can_act_on(actor: &Actor, action: Action, obj: Owned<'_>) -> bool {
    let in_branch = actor.branch_id.is_some() && obj.branch_id == actor.branch_id.as_ref();
    match reach(actor.role, action) {
        Reach::All => true,
        Reach::Branch => in_branch,
        Reach::Own => in_branch && obj.created_by == actor.principal(),
        Reach::None => false,
    }
}

/// Whether the actor may perform `action` at all (for creation and store-wide operations).
pub fn may(actor: &Actor, action: Action) -> bool {
    reach(actor.role, action) != Reach::None
}

/// Whether the actor may create, change or revoke staff or keys holding `target` role:
/// ADMIN manages everyone but owners (docs/roles.md, "all but owners").
pub fn may_manage_role(actor: &Actor, target: Role) -> bool {
    match actor.role {
        Role::Owner => true,
        Role::Admin => target != Role::Owner,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, branch: Option<&BranchId>, user: &UserId) -> Actor {
        Actor {
            merchant_id: MerchantId::generate(1, [1; 10]),
            store_id: StoreId::generate(1, [2; 10]),
            environment: Environment::Sandbox,
            role,
            branch_id: branch.cloned(),
            user_id: Some(user.clone()),
            key_id: Some(KeyId::generate(1, [3; 10])),
        }
    }

    #[test]
    fn store_wide_roles_see_everything_and_branch_roles_see_their_part() {
        let (b1, b2) = (BranchId::generate(1, [1; 10]), BranchId::generate(1, [2; 10]));
        let (u1, u2) = (UserId::generate(1, [1; 10]), UserId::generate(1, [2; 10]));
        let by_u1_in_b1 = Owned { branch_id: Some(&b1), created_by: u1.as_str() };
        let by_u2_in_b1 = Owned { branch_id: Some(&b1), created_by: u2.as_str() };
        let in_b2 = Owned { branch_id: Some(&b2), created_by: u2.as_str() };
        for role in [Role::Owner, Role::Admin, Role::Operation, Role::Accounting] {
            assert!(can_see(&actor(role, None, &u1), in_b2));
        }
        let supervisor = actor(Role::Supervisor, Some(&b1), &u1);
        assert!(can_see(&supervisor, by_u2_in_b1) && !can_see(&supervisor, in_b2));
        let cashier = actor(Role::Cashier, Some(&b1), &u1);
        assert!(can_see(&cashier, by_u1_in_b1));
        assert!(!can_see(&cashier, by_u2_in_b1) && !can_see(&cashier, in_b2));
    }

    #[test]
    fn the_action_matrix_matches_design_section_four() {
        use Action::*;
        let expected: &[(Action, [bool; 6])] = &[
            (CreateLink, [true, true, true, false, true, true]),
            (ManageLink, [true, true, true, false, true, true]),
            (RequestRefund, [true, true, true, true, true, false]),
            (DecideRefund, [true, true, false, true, true, false]),
            (WriteCustomers, [true, true, true, false, true, false]),
            (ReadCustomers, [true, true, true, true, true, false]),
            (Export, [true, true, true, true, true, false]),
            (Administer, [true, true, false, false, false, false]),
        ];
        for (action, allowed) in expected {
            for (role, allowed) in Role::ALL.iter().zip(allowed) {
                assert_eq!(reach(*role, *action) != Reach::None, *allowed, "{role:?} {action:?}");
            }
        }
    }

    #[test]
    fn cashiers_manage_only_their_own_links_and_supervisors_their_branch() {
        let (b1, b2) = (BranchId::generate(1, [1; 10]), BranchId::generate(1, [2; 10]));
        let (u1, u2) = (UserId::generate(1, [1; 10]), UserId::generate(1, [2; 10]));
        let cashier = actor(Role::Cashier, Some(&b1), &u1);
        assert!(can_act_on(&cashier, Action::ManageLink, Owned { branch_id: Some(&b1), created_by: u1.as_str() }));
        assert!(!can_act_on(&cashier, Action::ManageLink, Owned { branch_id: Some(&b1), created_by: u2.as_str() }));
        let supervisor = actor(Role::Supervisor, Some(&b1), &u1);
        assert!(can_act_on(&supervisor, Action::ManageLink, Owned { branch_id: Some(&b1), created_by: u2.as_str() }));
        assert!(!can_act_on(&supervisor, Action::ManageLink, Owned { branch_id: Some(&b2), created_by: u2.as_str() }));
        let accounting = actor(Role::Accounting, None, &u1);
        assert!(!can_act_on(&accounting, Action::ManageLink, Owned { branch_id: Some(&b1), created_by: u1.as_str() }));
    }

    #[test]
    fn admins_manage_everyone_but_owners() {
        let u = UserId::generate(1, [1; 10]);
        assert!(may_manage_role(&actor(Role::Admin, None, &u), Role::Cashier));
        assert!(!may_manage_role(&actor(Role::Admin, None, &u), Role::Owner));
        assert!(may_manage_role(&actor(Role::Owner, None, &u), Role::Owner));
        assert!(!may_manage_role(&actor(Role::Operation, None, &u), Role::Cashier));
    }
}
