//! Every sentence of the dashboard, in English and Arabic, one line per sentence so the two
//! translations are read and changed together. Templates hold markup only.

use crate::domain::link::Language;

/// Declares a struct of sentences (one `&'static str` per key) and its English and Arabic
/// instances from one table: `sentences! { Name; key: "English", "Arabic"; … }`. Each page family
/// declares its own beside its handlers (`sentences! { LinkTexts; … }`).
macro_rules! sentences {
    ($name:ident; $($key:ident: $en:literal, $ar:literal;)*) => {
        /// Sentences in one language.
        pub struct $name {
            $(pub $key: &'static str,)*
        }

        impl $name {
            /// English.
            pub const EN: $name = $name { $($key: $en,)* };
            /// Arabic (the default).
            pub const AR: $name = $name { $($key: $ar,)* };

            /// The sentences of `lang`.
            pub fn of(lang: crate::domain::link::Language) -> &'static $name {
                match lang {
                    crate::domain::link::Language::En => &Self::EN,
                    crate::domain::link::Language::Ar => &Self::AR,
                }
            }
        }
    };
}
#[allow(unused_imports)] // The page families declare their sentences with it.
pub(crate) use sentences;

sentences! {
    Texts;
    lang: "en", "ar";
    dir: "ltr", "rtl";
    other_lang: "ar", "en";
    other_lang_name: "العربية", "English";
    product: "Paylink", "Paylink";
    dashboard: "Dashboard", "لوحة التحكم";
    menu: "Menu", "القائمة";
    nav_home: "Home", "الرئيسية";
    nav_links: "Payment links", "روابط الدفع";
    nav_new_link: "New link", "رابط جديد";
    nav_refunds: "Refunds", "المبالغ المستردة";
    nav_customers: "Customers", "العملاء";
    nav_audit: "Audit log", "سجل التدقيق";
    nav_reports: "Reports", "التقارير";
    nav_developers: "Developers", "المطوّرون";
    nav_settings: "Settings", "الإعدادات";
    nav_profile: "Profile", "الملف الشخصي";
    sign_out: "Sign out", "تسجيل الخروج";
    sandbox_banner: "Sandbox: test data only, nothing is charged.", "البيئة التجريبية: بيانات اختبار فقط ولا تُخصم أي مبالغ.";
    production_banner: "Live: real payments.", "البيئة الحية: مدفوعات حقيقية.";
    switch_to_production: "Switch to live", "الانتقال إلى البيئة الحية";
    switch_to_sandbox: "Switch to sandbox", "الانتقال إلى البيئة التجريبية";
    env_sandbox: "Sandbox", "تجريبية";
    env_production: "Live", "حية";
    role_owner: "Owner", "المالك";
    role_admin: "Administrator", "مسؤول";
    role_operation: "Operations", "العمليات";
    role_accounting: "Accounting", "المحاسبة";
    role_supervisor: "Supervisor", "مشرف";
    role_cashier: "Cashier", "أمين صندوق";
    sign_in_title: "Sign in", "تسجيل الدخول";
    sign_in_lead: "Sign in to your store's dashboard.", "سجّل الدخول إلى لوحة تحكم متجرك.";
    email: "E-mail", "البريد الإلكتروني";
    password: "Password", "كلمة المرور";
    sign_in_button: "Sign in", "دخول";
    sign_in_refused: "The e-mail or the password is not right.", "البريد الإلكتروني أو كلمة المرور غير صحيحة.";
    sign_in_locked: "Too many failed attempts. Wait 15 minutes, then try again.", "محاولات فاشلة كثيرة. انتظر ١٥ دقيقة ثم حاول مجددًا.";
    signed_out: "You have signed out.", "تم تسجيل خروجك.";
    session_ended: "Your session ended. Sign in again.", "انتهت جلستك. سجّل الدخول مجددًا.";
    second_factor_title: "Two-step verification", "التحقق بخطوتين";
    second_factor_lead: "Enter the 6-digit code from your authenticator app, or one of your recovery codes.", "أدخل الرمز المكوّن من ٦ أرقام من تطبيق المصادقة، أو أحد رموز الاسترداد.";
    code: "Code", "الرمز";
    verify_button: "Verify", "تحقّق";
    code_wrong: "That code is not valid. Try the newest code.", "هذا الرمز غير صالح. جرّب أحدث رمز.";
    new_password_title: "Choose your password", "اختر كلمة المرور";
    new_password_lead: "The password you were given works once. Choose your own: at least 10 characters; a sentence is easy to remember and hard to guess.", "كلمة المرور التي أُعطيت لك تعمل مرة واحدة. اختر كلمة مرور خاصة بك: ١٠ أحرف على الأقل، والجملة سهلة التذكر وصعبة التخمين.";
    current_password: "Current password", "كلمة المرور الحالية";
    new_password: "New password", "كلمة المرور الجديدة";
    confirm_password: "New password, again", "كلمة المرور الجديدة مرة أخرى";
    save_password: "Save password", "حفظ كلمة المرور";
    password_saved: "Your password was changed. Other sessions were signed out.", "تم تغيير كلمة المرور، وأُنهيت جلساتك الأخرى.";
    e_password_short: "Use at least 10 characters.", "استخدم ١٠ أحرف على الأقل.";
    e_password_long: "Use at most 200 characters.", "استخدم ٢٠٠ حرف على الأكثر.";
    e_password_guessable: "This password is too easy to guess. Choose another.", "كلمة المرور هذه سهلة التخمين. اختر غيرها.";
    e_password_mismatch: "The two new passwords differ.", "كلمتا المرور الجديدتان مختلفتان.";
    e_current_password: "This is not your current password.", "هذه ليست كلمة المرور الحالية.";
    e_required: "Required.", "مطلوب.";
    e_invalid: "Check this field.", "تحقّق من هذا الحقل.";
    enrol_title: "Set up two-step verification", "إعداد التحقق بخطوتين";
    enrol_required: "Your store requires two-step verification for your role.", "يشترط متجرك التحقق بخطوتين لدورك.";
    enrol_step1: "Scan this code with an authenticator app (Google Authenticator, Microsoft Authenticator, 1Password…).", "امسح هذا الرمز بتطبيق مصادقة (Google Authenticator أو Microsoft Authenticator أو 1Password…).";
    enrol_manual: "Or type this key:", "أو اكتب هذا المفتاح:";
    enrol_step2: "Enter the 6-digit code the app shows.", "أدخل الرمز المكوّن من ٦ أرقام الذي يظهر في التطبيق.";
    enrol_button: "Turn on", "تفعيل";
    qr_alt: "QR code for your authenticator app", "رمز QR لتطبيق المصادقة";
    recovery_title: "Your recovery codes", "رموز الاسترداد";
    recovery_lead: "Two-step verification is on. Keep these codes somewhere safe: each works once if you lose your phone. They are shown only now.", "تم تفعيل التحقق بخطوتين. احفظ هذه الرموز في مكان آمن: يعمل كل رمز مرة واحدة إن فقدت جوالك. لن تُعرض مرة أخرى.";
    continue_button: "Continue", "متابعة";
    profile_title: "Your profile", "ملفك الشخصي";
    language: "Language", "اللغة";
    save: "Save", "حفظ";
    two_factor: "Two-step verification", "التحقق بخطوتين";
    two_factor_on: "On since", "مفعّل منذ";
    two_factor_off: "Off. Protect your account with a code from your phone.", "غير مفعّل. احمِ حسابك برمز من جوالك.";
    two_factor_enable: "Set up", "إعداد";
    two_factor_disable: "Turn off", "إيقاف";
    two_factor_disabled: "Two-step verification is off.", "تم إيقاف التحقق بخطوتين.";
    change_password: "Change password", "تغيير كلمة المرور";
    forbidden_title: "Not allowed", "غير مسموح";
    forbidden_text: "Your role cannot do this.", "دورك لا يسمح بهذا الإجراء.";
    not_found_title: "Not found", "غير موجود";
    not_found_text: "There is nothing here, or it is not in your scope.", "لا يوجد شيء هنا، أو أنه خارج نطاق صلاحياتك.";
    bad_form_title: "The form has expired", "انتهت صلاحية النموذج";
    bad_form_text: "Reload the page and try again.", "أعد تحميل الصفحة وحاول مجددًا.";
    error_title: "Something went wrong", "حدث خطأ";
    error_text: "Please try again. If it keeps happening, give the operator this reference:", "حاول مجددًا. إن تكرر الخطأ فأعطِ المسؤول هذا المرجع:";
    back_home: "Back to the dashboard", "العودة إلى لوحة التحكم";
    home_title: "Today", "اليوم";
    hello: "Hello,", "مرحبًا،";
}

/// The shell's texts of a language.
pub fn texts(lang: Language) -> &'static Texts {
    Texts::of(lang)
}

impl Texts {
    /// The name of a role.
    pub fn role(&self, role: crate::domain::access::Role) -> &'static str {
        use crate::domain::access::Role::*;
        match role {
            Owner => self.role_owner,
            Admin => self.role_admin,
            Operation => self.role_operation,
            Accounting => self.role_accounting,
            Supervisor => self.role_supervisor,
            Cashier => self.role_cashier,
        }
    }
}
