//! The customers pages' sentences.

use crate::web::dashboard::texts::sentences;

sentences! {
    CustomerTexts;
    title: "Customers", "العملاء";
    search_label: "Search by name, phone or e-mail", "ابحث بالاسم أو الجوال أو البريد الإلكتروني";
    search: "Search", "بحث";
    new_customer: "New customer", "عميل جديد";
    empty: "No customers yet.", "لا يوجد عملاء بعد.";
    no_match: "No customer matches this search.", "لا يوجد عميل يطابق هذا البحث.";
    next_page: "Next page", "الصفحة التالية";
    first_page: "First page", "الصفحة الأولى";
    name: "Name", "الاسم";
    phone: "Phone", "الجوال";
    email: "E-mail", "البريد الإلكتروني";
    added: "Added on", "تاريخ الإضافة";
    optional: "(optional)", "(اختياري)";
    phone_hint: "International format, like +966501234567.", "بالصيغة الدولية، مثل ‎+966501234567.";
    save: "Save", "حفظ";
    create: "Add the customer", "إضافة العميل";
    cancel: "Cancel", "إلغاء";
    edit: "Edit", "تعديل";
    edit_title: "Edit customer", "تعديل بيانات العميل";
    new_link: "New link for this customer", "رابط جديد لهذا العميل";
    links: "Payment links", "روابط الدفع";
    no_links: "No links for this customer yet.", "لا توجد روابط لهذا العميل بعد.";
    payments: "Payments", "المدفوعات";
    no_payments: "No payments yet.", "لا توجد مدفوعات بعد.";
    link_title: "Title", "العنوان";
    amount: "Amount", "المبلغ";
    status: "Status", "الحالة";
    date: "Date", "التاريخ";
    refund: "Refund", "استرداد";
    e_name: "Enter the customer's name (at most 200 characters).", "أدخل اسم العميل (٢٠٠ حرف على الأكثر).";
    e_email: "Enter a valid e-mail address, like name@example.com.", "أدخل بريدًا إلكترونيًا صحيحًا، مثل name@example.com.";
    e_phone: "Enter the phone number in international format, like +966501234567.", "أدخل رقم الجوال بالصيغة الدولية، مثل ‎+966501234567.";
    e_search: "Search with at most 100 characters.", "استخدم ١٠٠ حرف على الأكثر في البحث.";
    e_check: "Check the highlighted fields.", "تحقّق من الحقول المحددة.";
    created: "Customer added.", "تمت إضافة العميل.";
    saved: "Changes saved.", "تم حفظ التعديلات.";
}
