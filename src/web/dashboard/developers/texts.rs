//! The developers pages' sentences.

use crate::web::dashboard::texts::sentences;

sentences! {
    DeveloperTexts;
    title: "API keys", "مفاتيح API";
    intro: "Keys let your own systems call Paylink's API. Each key works only in the environment it was made in.", "تتيح المفاتيح لأنظمتك الاتصال بواجهة Paylink البرمجية، ويعمل كل مفتاح في البيئة التي أُنشئ فيها فقط.";
    empty: "No keys in this environment yet.", "لا توجد مفاتيح في هذه البيئة بعد.";
    new_key: "New key", "مفتاح جديد";
    name: "Name", "الاسم";
    environment: "Environment", "البيئة";
    sandbox: "Sandbox", "تجريبية";
    production: "Live", "حقيقية";
    acts_as: "Acts as", "يعمل باسم";
    prefix: "Starts with", "يبدأ بـ";
    last_used: "Last used", "آخر استخدام";
    never_used: "Never", "لم يُستخدم";
    created_at: "Created on", "تاريخ الإنشاء";
    expires_at: "Expires on", "ينتهي في";
    status: "Status", "الحالة";
    active: "Active", "نشط";
    revoked: "Revoked", "ملغى";
    expired: "Expired", "منتهي";
    revoke: "Revoke", "إلغاء المفتاح";
    revoked_notice: "The key was revoked. Requests made with it are refused from now on.", "أُلغي المفتاح، وستُرفض الطلبات التي تستخدمه من الآن.";
    role_key: "Role", "الدور";
    user_key: "User", "المستخدم";
    new_title: "New API key", "مفتاح API جديد";
    name_hint: "A name that tells you where the key is used, for example “Online shop”.", "اسم يذكّرك بمكان استخدام المفتاح، مثل «المتجر الإلكتروني».";
    acts_as_hint: "The key gets exactly the permissions of this user or role.", "يحصل المفتاح على صلاحيات هذا المستخدم أو الدور بالضبط.";
    choose: "Choose…", "اختر…";
    users_group: "A user of the store", "مستخدم في المتجر";
    roles_group: "A role (service key)", "دور (مفتاح خدمة)";
    branch: "Branch (for a supervisor or cashier role)", "الفرع (لدور المشرف أو الكاشير)";
    no_branch: "No branch", "بدون فرع";
    expiry: "Expires on (optional)", "تاريخ الانتهاء (اختياري)";
    expiry_hint: "The key stops working at the end of this day (UTC). Leave it empty for a key that does not expire.", "يتوقف المفتاح عن العمل في نهاية هذا اليوم (بتوقيت UTC). اتركه فارغًا لمفتاح لا تنتهي صلاحيته.";
    create: "Create the key", "إنشاء المفتاح";
    cancel: "Cancel", "إلغاء";
    created_title: "Your new API key", "مفتاح API الجديد";
    secret_once: "Copy the key now and keep it somewhere safe: it is shown only this once, and Paylink keeps no copy it could show again.", "انسخ المفتاح الآن واحفظه في مكان آمن، فهو يظهر هذه المرة فقط ولا يحتفظ Paylink بنسخة منه يمكن عرضها لاحقًا.";
    secret: "Secret key", "المفتاح السري";
    copy: "Copy", "نسخ";
    copied: "Copied", "تم النسخ";
    try_it: "Try it", "جرّبه";
    curl_hint: "This command lists your payment links with the new key:", "يعرض هذا الأمر روابط الدفع لديك باستخدام المفتاح الجديد:";
    back: "Back to the keys", "العودة إلى المفاتيح";
    e_acts_as: "Choose the user or the role the key acts as.", "اختر المستخدم أو الدور الذي يعمل المفتاح باسمه.";
    e_user: "This user is not in your store.", "هذا المستخدم ليس من مستخدمي متجرك.";
    e_branch: "Choose a branch of this store for a supervisor or cashier role.", "اختر فرعًا من فروع هذا المتجر لدور المشرف أو الكاشير.";
    e_expiry: "Choose a date after today.", "اختر تاريخًا بعد اليوم.";
    e_owner: "Only an owner can make a key with an owner's permissions.", "لا يمكن إلا للمالك إنشاء مفتاح بصلاحيات المالك.";
    profile_heading: "Developers: API keys", "للمطوّرين: مفاتيح API";
    profile_text: "Make and revoke the keys your systems use to call the API.", "أنشئ المفاتيح التي تستخدمها أنظمتك للاتصال بالواجهة البرمجية أو ألغِها.";
    profile_link: "Manage API keys", "إدارة مفاتيح API";
}
