//! How a status reads on the dashboard: the word in the user's language and the pill's tone
//! (`ok`, `bad`, `warn` or plain), one table for links, payments and refunds so every page says
//! the same thing the same way.

use super::texts::sentences;
use crate::domain::link::{Language, LinkStatus};
use crate::domain::payment::PaymentStatus;
use crate::domain::refund::RefundStatus;

sentences! {
    StatusTexts;
    open: "Open", "مفتوح";
    paid: "Paid", "مدفوع";
    expired: "Expired", "منتهي";
    cancelled: "Cancelled", "ملغى";
    pending: "Pending", "قيد المعالجة";
    requires_action: "Waiting for the payer", "بانتظار الدافع";
    succeeded: "Succeeded", "ناجح";
    failed: "Failed", "فشل";
    pending_approval: "Waiting for approval", "بانتظار الموافقة";
    approved: "Approved", "تمت الموافقة";
    rejected: "Rejected", "مرفوض";
    refunded: "Refunded", "تم الاسترداد";
}

/// A status as a pill: its word and its tone (a CSS class, empty for plain).
pub struct Pill {
    pub label: &'static str,
    pub tone: &'static str,
}

/// A link's status.
pub fn link(status: LinkStatus, lang: Language) -> Pill {
    let t = StatusTexts::of(lang);
    match status {
        LinkStatus::Open => Pill { label: t.open, tone: "warn" },
        LinkStatus::Paid => Pill { label: t.paid, tone: "ok" },
        LinkStatus::Expired => Pill { label: t.expired, tone: "" },
        LinkStatus::Cancelled => Pill { label: t.cancelled, tone: "" },
    }
}

/// A payment's status.
pub fn payment(status: PaymentStatus, lang: Language) -> Pill {
    let t = StatusTexts::of(lang);
    match status {
        PaymentStatus::Pending => Pill { label: t.pending, tone: "warn" },
        PaymentStatus::RequiresAction => Pill { label: t.requires_action, tone: "warn" },
        PaymentStatus::Succeeded => Pill { label: t.succeeded, tone: "ok" },
        PaymentStatus::Failed => Pill { label: t.failed, tone: "bad" },
        PaymentStatus::Cancelled => Pill { label: t.cancelled, tone: "" },
    }
}

/// A refund's status.
pub fn refund(status: RefundStatus, lang: Language) -> Pill {
    let t = StatusTexts::of(lang);
    match status {
        RefundStatus::PendingApproval => Pill { label: t.pending_approval, tone: "warn" },
        RefundStatus::Approved => Pill { label: t.approved, tone: "warn" },
        RefundStatus::Rejected => Pill { label: t.rejected, tone: "" },
        RefundStatus::Succeeded => Pill { label: t.refunded, tone: "ok" },
        RefundStatus::Failed => Pill { label: t.failed, tone: "bad" },
    }
}
