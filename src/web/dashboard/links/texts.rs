//! The links list's and export's sentences, in English and Arabic.

use crate::web::dashboard::texts::sentences;

sentences! {
    LinkTexts;
    list_title: "Payment links", "روابط الدفع";
    new_link: "New link", "رابط جديد";
    export_csv: "Export CSV", "تصدير CSV";
    filters: "Filters", "التصفية";
    more_filters: "More filters and sorting", "تصفية وترتيب إضافيان";
    search: "Search", "بحث";
    search_hint: "Title, reference, customer name, phone or e-mail", "العنوان أو المرجع أو اسم العميل أو جواله أو بريده";
    status: "Status", "الحالة";
    any: "Any", "الكل";
    branch: "Branch", "الفرع";
    creator: "Created by", "أنشأه";
    created_from: "Created from", "أُنشئ من تاريخ";
    created_to: "Created before", "أُنشئ قبل تاريخ";
    amount_min: "Smallest amount", "أقل مبلغ";
    amount_max: "Largest amount", "أعلى مبلغ";
    sort: "Sort by", "الترتيب حسب";
    sort_created: "Creation date", "تاريخ الإنشاء";
    sort_amount: "Amount", "المبلغ";
    sort_title: "Title", "العنوان";
    sort_status: "Status", "الحالة";
    order: "Order", "الاتجاه";
    newest_first: "Descending", "تنازلي";
    oldest_first: "Ascending", "تصاعدي";
    apply: "Apply", "تطبيق";
    clear: "Clear", "مسح";
    title: "Title", "العنوان";
    amount: "Amount", "المبلغ";
    customer: "Customer", "العميل";
    created: "Created", "تاريخ الإنشاء";
    empty: "No payment links match these filters.", "لا توجد روابط دفع تطابق هذه التصفية.";
    previous: "Previous", "السابق";
    next: "Next", "التالي";
    pages: "Pages", "الصفحات";
}
