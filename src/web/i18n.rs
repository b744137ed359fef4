//! Every sentence of the hosted pages, in English and Arabic, one line per sentence so the two
//! translations are read and changed together. Templates hold markup only.

use crate::domain::link::Language;

/// Declares `Texts` (one `&'static str` per key) and its two instances from one table.
macro_rules! texts {
    ($($key:ident: $en:literal, $ar:literal;)*) => {
        /// Every sentence of the pages in one language.
        pub struct Texts {
            $(pub $key: &'static str,)*
        }

        /// English.
        pub static EN: Texts = Texts { $($key: $en,)* };

        /// Arabic (the default).
        pub static AR: Texts = Texts { $($key: $ar,)* };
    };
}

texts! {
    lang: "en", "ar";
    dir: "ltr", "rtl";
    other_lang: "ar", "en";
    other_lang_name: "العربية", "English";
    secured: "Secure payment by Paylink", "دفع آمن عبر Paylink";
    sandbox_banner: "Sandbox — use a test card", "بيئة تجريبية — استخدم بطاقة اختبار";
    sandbox_link: "Test cards", "بطاقات الاختبار";
    amount_due: "Amount due", "المبلغ المستحق";
    expires_on: "Expires on", "ينتهي في";
    expired_on: "Expired on", "انتهى في";
    reference: "Reference", "المرجع";
    scan_title: "Pay on your phone", "ادفع من جوالك";
    scan_text: "Scan the code to open this page on your phone.", "امسح الرمز لفتح هذه الصفحة على جوالك.";
    qr_label: "QR code of this page", "رمز QR لهذه الصفحة";
    pay_with: "Choose how to pay", "اختر طريقة الدفع";
    your_details: "Your details", "بياناتك";
    address: "Address", "العنوان";
    name: "Full name", "الاسم الكامل";
    email: "Email", "البريد الإلكتروني";
    phone: "Phone", "رقم الجوال";
    address_line1: "Street address", "عنوان الشارع";
    address_line2: "Apartment, building (optional)", "الشقة أو المبنى (اختياري)";
    address_city: "City", "المدينة";
    address_region: "Region (optional)", "المنطقة (اختياري)";
    address_postal_code: "Postal code (optional)", "الرمز البريدي (اختياري)";
    address_country: "Country", "الدولة";
    method_card: "Card", "بطاقة";
    method_mobile_money: "Mobile money", "محفظة الجوال";
    method_installments: "Installments", "التقسيط";
    method_cash: "Cash", "نقدًا";
    card_number: "Card number", "رقم البطاقة";
    card_expiry: "Expiry (MM/YY)", "الانتهاء (شهر/سنة)";
    card_cvv: "Security code", "رمز الأمان";
    mobile_phone: "Wallet phone number", "رقم جوال المحفظة";
    mobile_hint: "We will send a payment request to this number; approve it on your phone.", "سنرسل طلب دفع إلى هذا الرقم؛ وافق عليه من جوالك.";
    installments_hint: "Split the amount into equal monthly payments.", "قسّم المبلغ على دفعات شهرية متساوية.";
    installments_phone: "Phone number", "رقم الجوال";
    plan: "Plan", "الخطة";
    months: "months", "أشهر";
    per_month: "a month", "شهريًا";
    pay: "Pay", "ادفع";
    cancel_return: "Cancel and return to the store", "إلغاء والعودة إلى المتجر";
    no_methods: "No payment method is available for this link. Please contact the merchant.", "لا تتوفر طريقة دفع لهذا الرابط. يُرجى التواصل مع التاجر.";
    already_paid_title: "Already paid", "تم الدفع مسبقًا";
    already_paid_body: "This link has already been paid. Thank you!", "تم دفع هذا الرابط مسبقًا. شكرًا لك!";
    closed_title: "No longer accepting payments", "لم يعد الرابط يقبل المدفوعات";
    closed_body: "This link has received all the payments it accepts.", "استقبل هذا الرابط كل المدفوعات التي يقبلها.";
    expired_title: "This link has expired", "انتهت صلاحية هذا الرابط";
    expired_body: "Ask the merchant for a new payment link.", "اطلب من التاجر رابط دفع جديدًا.";
    cancelled_title: "This link was cancelled", "تم إلغاء هذا الرابط";
    cancelled_body: "The merchant cancelled this payment link, so it cannot be paid.", "ألغى التاجر رابط الدفع هذا، ولا يمكن الدفع من خلاله.";
    processing_title: "Processing your payment", "جارٍ معالجة الدفع";
    processing_body: "This takes a few seconds. The page updates by itself; please keep it open.", "يستغرق ذلك بضع ثوانٍ. تتحدّث الصفحة تلقائيًا؛ يُرجى إبقاؤها مفتوحة.";
    approve_title: "Approve on your phone", "وافق من جوالك";
    approve_body: "We sent a payment request to your phone. Approve it there; this page updates by itself.", "أرسلنا طلب دفع إلى جوالك. وافق عليه هناك؛ تتحدّث هذه الصفحة تلقائيًا.";
    otp_title: "Enter the verification code", "أدخل رمز التحقق";
    otp_body: "Your card issuer sent a one-time code to your phone.", "أرسل مُصدِر بطاقتك رمزًا لمرة واحدة إلى جوالك.";
    otp_label: "Verification code", "رمز التحقق";
    otp_sandbox_hint: "Sandbox: the test code is", "بيئة تجريبية: رمز الاختبار هو";
    otp_submit: "Verify and pay", "تحقّق وادفع";
    cancel_payment: "Cancel payment", "إلغاء الدفع";
    failed_title: "Payment failed", "تعذّر الدفع";
    try_again: "Try again", "حاول مرة أخرى";
    cancelled_payment_title: "Payment cancelled", "تم إلغاء الدفع";
    cancelled_payment_body: "No money was taken. You can start again.", "لم يُخصم أي مبلغ. يمكنك البدء من جديد.";
    succeeded_title: "Payment successful", "تم الدفع بنجاح";
    succeeded_body: "Thank you! Your payment was received.", "شكرًا لك! تم استلام دفعتك.";
    proceed: "Continue", "متابعة";
    view_receipt: "View receipt", "عرض الإيصال";
    receipt_title: "Receipt", "إيصال الدفع";
    merchant: "Merchant", "التاجر";
    amount: "Amount", "المبلغ";
    date: "Date", "التاريخ";
    payment_id: "Payment ID", "رقم العملية";
    method: "Payment method", "طريقة الدفع";
    card: "Card", "البطاقة";
    paid_for: "Payment for", "الدفع مقابل";
    status: "Status", "الحالة";
    status_paid: "Paid", "مدفوع";
    print_hint: "Use your browser's print command to keep a copy.", "استخدم أمر الطباعة في متصفحك للاحتفاظ بنسخة.";
    f_card_declined: "Your card was declined. Try another card.", "رُفضت بطاقتك. جرّب بطاقة أخرى.";
    f_insufficient_funds: "There are not enough funds. Try another card or method.", "الرصيد غير كافٍ. جرّب بطاقة أو طريقة أخرى.";
    f_expired_card: "Your card has expired.", "انتهت صلاحية بطاقتك.";
    f_otp_failed: "The verification code was entered wrongly too many times.", "أُدخل رمز التحقق بشكل خاطئ عدة مرات.";
    f_test_card_required: "The sandbox accepts only the test cards listed on its help page.", "لا تقبل البيئة التجريبية إلا بطاقات الاختبار المدرجة في صفحة المساعدة.";
    f_test_number_required: "The sandbox accepts only the test numbers listed on its help page.", "لا تقبل البيئة التجريبية إلا أرقام الاختبار المدرجة في صفحة المساعدة.";
    f_payment_rejected: "The payment was rejected on the phone.", "رُفض الدفع من الجوال.";
    f_plan_unavailable: "This installment plan is not available.", "خطة التقسيط هذه غير متاحة.";
    f_amount_below_minimum: "The amount is below the minimum for installments.", "المبلغ أقل من الحد الأدنى للتقسيط.";
    f_credit_limit_exceeded: "The amount is above your installment limit.", "المبلغ يتجاوز حد التقسيط المتاح لك.";
    f_timeout: "The payment was not approved in time.", "لم تتم الموافقة على الدفع في الوقت المحدد.";
    f_link_expired: "The link expired before the payment was completed.", "انتهت صلاحية الرابط قبل اكتمال الدفع.";
    f_generic: "The payment did not go through.", "لم تتم عملية الدفع.";
    conflict_title: "This payment can't go ahead", "لا يمكن إتمام هذا الدفع";
    c_link_busy: "Another payment for this link is in progress. Wait a moment, then try again.", "هناك عملية دفع أخرى جارية لهذا الرابط. انتظر قليلًا ثم حاول مرة أخرى.";
    c_already_paid: "This link has already been paid.", "تم دفع هذا الرابط مسبقًا.";
    c_not_open: "This link is no longer open for payment.", "لم يعد هذا الرابط متاحًا للدفع.";
    c_payment_done: "This payment is already complete or cancelled.", "اكتملت هذه العملية أو أُلغيت مسبقًا.";
    not_found_title: "Page not found", "الصفحة غير موجودة";
    not_found_body: "This payment link doesn't exist. Check the address or ask the merchant for a new link.", "رابط الدفع هذا غير موجود. تحقّق من العنوان أو اطلب من التاجر رابطًا جديدًا.";
    forbidden_title: "This form has expired", "انتهت صلاحية هذا النموذج";
    forbidden_body: "For your security, please reload the payment page and try again.", "حفاظًا على أمانك، يُرجى إعادة تحميل صفحة الدفع والمحاولة مرة أخرى.";
    bad_form_title: "We couldn't read the form", "تعذّرت قراءة النموذج";
    too_many_title: "Too many attempts", "محاولات كثيرة جدًا";
    too_many_body: "There were too many failed attempts. Please wait a while, then try again.", "تجاوزت عدد المحاولات المسموح به. يُرجى الانتظار قليلًا ثم المحاولة مرة أخرى.";
    internal_title: "Something went wrong", "حدث خطأ ما";
    internal_body: "We couldn't complete your request. Please try again in a moment.", "تعذّر إكمال طلبك. يُرجى المحاولة بعد قليل.";
    back_to_payment: "Back to the payment page", "العودة إلى صفحة الدفع";
    check_fields: "Please check the highlighted fields.", "يُرجى مراجعة الحقول المحددة.";
    e_required: "This field is required.", "هذا الحقل مطلوب.";
    e_card_number: "Enter a valid card number.", "أدخل رقم بطاقة صحيحًا.";
    e_card_expiry: "Enter a valid expiry date (MM/YY).", "أدخل تاريخ انتهاء صحيحًا (شهر/سنة).";
    e_card_cvv: "Enter the 3- or 4-digit security code.", "أدخل رمز الأمان المكوّن من ٣ أو ٤ أرقام.";
    e_phone: "Enter a valid phone number with the country code.", "أدخل رقم جوال صحيحًا مع رمز الدولة.";
    e_email: "Enter a valid email address.", "أدخل بريدًا إلكترونيًا صحيحًا.";
    e_otp: "That code is not right. Try again.", "الرمز غير صحيح. حاول مرة أخرى.";
    e_method: "Choose a payment method.", "اختر طريقة دفع.";
    e_plan: "Choose an installment plan.", "اختر خطة تقسيط.";
    e_invalid: "Check this field.", "تحقّق من هذا الحقل.";
    sandbox_title: "Sandbox test instruments", "أدوات الاختبار في البيئة التجريبية";
    sandbox_intro: "No real money moves in the sandbox. Use these cards and numbers on a sandbox payment link to try every outcome.", "لا تُنقل أموال حقيقية في البيئة التجريبية. استخدم هذه البطاقات والأرقام على رابط دفع تجريبي لتجربة كل النتائج.";
    cards_note: "Use any future expiry date and any 3-digit security code.", "استخدم أي تاريخ انتهاء مستقبلي وأي رمز أمان من ٣ أرقام.";
    col_outcome: "What happens", "النتيجة";
    test_numbers: "Mobile money numbers", "أرقام محفظة الجوال";
    numbers_note: "Matched on the last six digits, with any country code.", "تُطابَق آخر ستة أرقام، مع أي رمز دولة.";
    otp_note: "Cards that ask for a code accept", "البطاقات التي تطلب رمزًا تقبل الرمز";
    otp_tries_note: "Wrong entries allowed before the payment is declined:", "عدد المحاولات الخاطئة المسموح بها قبل رفض الدفع:";
    plans_note: "Plans on offer (months):", "الخطط المتاحة (بالأشهر):";
    limits_from: "Approved for amounts from", "يُوافَق على المبالغ من";
    limits_to: "to", "إلى";
    limits_tail: "in the link's currency (major units).", "بعملة الرابط (بالوحدة الرئيسية).";
    failures_heading: "Failure codes", "رموز الفشل";
    col_code: "Code", "الرمز";
    col_message: "What the payer sees", "ما يظهر للدافع";
}

/// Every failure code the page explains (the sandbox page lists them all).
pub const FAILURE_CODES: [&str; 12] = [
    "card_declined",
    "insufficient_funds",
    "expired_card",
    "otp_failed",
    "test_card_required",
    "test_number_required",
    "payment_rejected",
    "plan_unavailable",
    "amount_below_minimum",
    "credit_limit_exceeded",
    "timeout",
    "link_expired",
];

/// The sentences of `lang`.
pub fn texts(lang: Language) -> &'static Texts {
    match lang {
        Language::Ar => &AR,
        Language::En => &EN,
    }
}

impl Texts {
    /// The payer's sentence for a payment failure code (a generic one for unknown codes).
    pub fn failure(&self, code: &str) -> &'static str {
        match code {
            "card_declined" => self.f_card_declined,
            "insufficient_funds" => self.f_insufficient_funds,
            "expired_card" => self.f_expired_card,
            "otp_failed" => self.f_otp_failed,
            "test_card_required" => self.f_test_card_required,
            "test_number_required" => self.f_test_number_required,
            "payment_rejected" => self.f_payment_rejected,
            "plan_unavailable" => self.f_plan_unavailable,
            "amount_below_minimum" => self.f_amount_below_minimum,
            "credit_limit_exceeded" => self.f_credit_limit_exceeded,
            "timeout" => self.f_timeout,
            "link_expired" => self.f_link_expired,
            _ => self.f_generic,
        }
    }

    /// The display name of a kind of payment method.
    pub fn method_kind(&self, kind: crate::domain::method::MethodKind) -> &'static str {
        use crate::domain::method::MethodKind;
        match kind {
            MethodKind::Card => self.method_card,
            MethodKind::Cash => self.method_cash,
            MethodKind::MobileMoney => self.method_mobile_money,
            MethodKind::Installments => self.method_installments,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_failure_code_has_its_own_sentence_in_both_languages() {
        for t in [&EN, &AR] {
            for code in FAILURE_CODES {
                assert_ne!(t.failure(code), t.f_generic, "{code}");
            }
        }
    }

    #[test]
    fn arabic_is_right_to_left_and_english_left_to_right() {
        assert_eq!((texts(Language::Ar).dir, texts(Language::Ar).lang), ("rtl", "ar"));
        assert_eq!((texts(Language::En).dir, texts(Language::En).lang), ("ltr", "en"));
    }
}
