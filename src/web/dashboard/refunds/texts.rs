//! The refunds pages' sentences.

use crate::web::dashboard::texts::sentences;

sentences! {
    RefundTexts;
    title: "Refunds", "المبالغ المستردة";
    approvals_title: "Waiting for your approval", "بانتظار موافقتك";
    approvals_empty: "Nothing is waiting for your approval.", "لا يوجد ما ينتظر موافقتك.";
    all_title: "All refunds", "كل عمليات الاسترداد";
    empty: "No refunds here yet.", "لا توجد عمليات استرداد هنا بعد.";
    status: "Status", "الحالة";
    any_status: "Any status", "كل الحالات";
    filter: "Filter", "تصفية";
    next_page: "Next page", "الصفحة التالية";
    first_page: "First page", "الصفحة الأولى";
    link: "Link", "الرابط";
    amount: "Amount", "المبلغ";
    requester: "Requested by", "مقدّم الطلب";
    requested_at: "Requested on", "تاريخ الطلب";
    decided_at: "Decided on", "تاريخ القرار";
    detail_title: "Refund", "عملية استرداد";
    payment: "Payment", "الدفعة";
    paid_amount: "Amount paid", "المبلغ المدفوع";
    reason: "Reason", "السبب";
    decided_by: "Decided by", "صاحب القرار";
    note: "Note", "الملاحظة";
    by_policy: "The store's policy (approved automatically)", "سياسة المتجر (موافقة تلقائية)";
    not_decided: "Not decided yet", "لم يُتخذ قرار بعد";
    failure: "Why it failed", "سبب الفشل";
    decide_title: "Your decision", "قرارك";
    note_label: "Note (optional)", "ملاحظة (اختيارية)";
    approve: "Approve", "موافقة";
    reject: "Reject", "رفض";
    own_refund: "You requested this refund, so someone else has to approve or reject it.", "أنت من طلب هذا الاسترداد، لذا يجب أن يوافق عليه أو يرفضه شخص آخر.";
    new_title: "Request a refund", "طلب استرداد";
    refundable: "Left to refund", "المتبقي القابل للاسترداد";
    amount_label: "Amount to refund", "المبلغ المراد استرداده";
    amount_hint: "The whole remainder is filled in; lower it for a partial refund.", "عُبّئ المبلغ المتبقي كاملًا؛ خفّضه إن أردت استردادًا جزئيًا.";
    reason_label: "Reason for the refund", "سبب الاسترداد";
    request_button: "Request the refund", "إرسال طلب الاسترداد";
    cancel: "Cancel", "إلغاء";
    e_amount: "Enter an amount above zero in the payment's currency, with no more decimal places than it allows.", "أدخل مبلغًا أكبر من الصفر بعملة الدفعة، دون منازل عشرية أكثر مما تسمح به.";
    e_over: "This is more than what is left to refund on this payment.", "هذا المبلغ أكبر من المتبقي القابل للاسترداد في هذه الدفعة.";
    e_reason: "Write why the money goes back.", "اكتب سبب إعادة المبلغ.";
    e_reason_long: "Use at most 500 characters.", "استخدم ٥٠٠ حرف على الأكثر.";
    e_not_refundable: "Only a succeeded payment with money left on it can be refunded.", "لا يمكن الاسترداد إلا من دفعة ناجحة بقي فيها مبلغ لم يُسترد.";
    e_not_allowed: "Your role cannot request refunds.", "دورك لا يسمح بطلب الاسترداد.";
    e_decision: "Choose to approve or to reject.", "اختر الموافقة أو الرفض.";
    requested: "Refund requested. It now waits for someone else to approve it.", "تم إرسال طلب الاسترداد، وهو الآن بانتظار موافقة شخص آخر.";
    auto_sending: "The store's policy approved the refund at once; it is being sent.", "وافقت سياسة المتجر على الاسترداد فورًا، وجارٍ تنفيذه.";
    auto_done: "The store's policy approved the refund at once, and it has been sent.", "وافقت سياسة المتجر على الاسترداد فورًا، وتم تنفيذه.";
    approved_notice: "You approved the refund.", "تمت موافقتك على الاسترداد.";
    rejected_notice: "You rejected the refund.", "تم رفض طلب الاسترداد.";
    failed_notice: "The refund was approved, but sending it failed. The reason is below.", "تمت الموافقة على الاسترداد لكن تنفيذه فشل، والسبب موضّح أدناه.";
}
