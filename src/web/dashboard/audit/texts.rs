//! The audit log pages' sentences.

use crate::web::dashboard::texts::sentences;

sentences! {
    AuditTexts;
    title: "Audit log", "سجل التدقيق";
    intro: "Every change to money or access in your business, newest first.", "كل تغيير طرأ على الأموال أو الصلاحيات في نشاطك التجاري، الأحدث أولًا.";
    empty: "No entries match these filters.", "لا توجد سجلات تطابق عوامل التصفية هذه.";
    action: "Action", "الإجراء";
    action_hint: "payment_link.create", "payment_link.create";
    actor: "Done by", "المنفّذ";
    actor_hint: "usr_… / key_… / cli", "usr_… / key_… / cli";
    object: "Object", "العنصر";
    object_hint: "plink_… / usr_…", "plink_… / usr_…";
    from: "From", "من تاريخ";
    to: "Before", "قبل تاريخ";
    filter: "Filter", "تصفية";
    clear: "Clear", "مسح";
    date: "Date", "التاريخ";
    request: "Request", "الطلب";
    next_page: "Next page", "الصفحة التالية";
    previous_page: "Previous page", "الصفحة السابقة";
    first_page: "First page", "الصفحة الأولى";
    export: "Download CSV", "تنزيل ملف CSV";
    verify: "Verify the chain", "التحقق من سلسلة السجل";
    verify_hint: "Recomputes every entry's hash, as `paylink audit verify` does.", "يعيد حساب بصمة كل سجل، كما يفعل الأمر paylink audit verify.";
    intact: "The audit log is intact: {n} entries checked.", "سجل التدقيق سليم: تم فحص {n} من السجلات.";
    unchained: "The newest entries are not chained yet; the next check covers them.", "أحدث السجلات لم تُضَف إلى السلسلة بعد، وسيشملها الفحص القادم.";
    broken: "The audit log has been altered, starting at entry {id} (number {n}). Tell the server's operator.", "تم العبث بسجل التدقيق بدءًا من السجل {id} (رقم {n}). أبلغ مشغّل الخادم.";
    unknown: "The check could not be completed. Ask the server's operator to run `paylink audit verify`.", "تعذّر إكمال الفحص. اطلب من مشغّل الخادم تشغيل الأمر paylink audit verify.";
    entry_title: "Audit entry", "سجل تدقيق";
    role: "Role", "الدور";
    key: "API key", "مفتاح الواجهة البرمجية";
    store: "Store", "المتجر";
    environment: "Environment", "البيئة";
    before: "Before", "قبل";
    after: "After", "بعد";
    nothing: "Nothing (the object did not exist)", "لا شيء (لم يكن العنصر موجودًا)";
    back: "Back to the audit log", "العودة إلى سجل التدقيق";
    operator: "The server's operator", "مشغّل الخادم";
}
