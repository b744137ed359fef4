//! The reports pages' sentences.

use crate::web::dashboard::texts::sentences;

sentences! {
    ReportTexts;
    title: "Reports", "التقارير";
    intro: "Figures for the days below, counted in the store's time zone", "أرقام الأيام أدناه، محسوبة بتوقيت المتجر";
    from: "From", "من";
    to: "To", "إلى";
    branch: "Branch", "الفرع";
    all_branches: "All branches", "كل الفروع";
    no_branch: "No branch", "بدون فرع";
    show: "Show", "عرض";
    collected: "Collected", "المُحصَّل";
    refunded: "Refunded", "المُسترد";
    net: "Net", "الصافي";
    payments: "Payments", "المدفوعات";
    refunds: "Refunds", "الاستردادات";
    conversion: "Links paid", "الروابط المدفوعة";
    conversion_of: "of", "من";
    none_created: "No links created", "لم يُنشأ أي رابط";
    per_day: "Per day", "حسب اليوم";
    active_days: "The table lists the days with activity; the chart shows every day.", "يعرض الجدول الأيام التي شهدت نشاطًا، ويعرض الرسم البياني كل الأيام.";
    chart_label: "Collected per day", "المُحصَّل في كل يوم";
    day: "Day", "اليوم";
    by_method: "By payment method", "حسب طريقة الدفع";
    method: "Method", "الطريقة";
    by_branch: "By branch", "حسب الفرع";
    links_created: "Links created", "الروابط المُنشأة";
    nothing: "Nothing in these days.", "لا شيء في هذه الأيام.";
    exports: "Downloads", "التنزيلات";
    payments_csv: "Payments (CSV)", "المدفوعات (CSV)";
    refunds_csv: "Refunds (CSV)", "الاستردادات (CSV)";
    cashier_day: "A cashier's day", "يوم الكاشير";
    cashier_title: "Cashier's day", "يوم الكاشير";
    cashier_intro: "What one person's links brought in on one day, for closing the till.", "ما حصّلته روابط شخص واحد في يوم واحد، لإقفال الصندوق.";
    user: "Staff member", "الموظف";
    the_day: "Day", "اليوم";
    paid_online: "Paid online", "مدفوع عبر الإنترنت";
    paid_at_branch: "Paid at the branch", "مدفوع في الفرع";
    online: "Online", "عبر الإنترنت";
    at_branch: "At the branch", "في الفرع";
    place: "Where", "المكان";
    count: "Count", "العدد";
    amount: "Amount", "المبلغ";
    totals_per_method: "Totals per method", "الإجماليات حسب الطريقة";
    print: "Print", "طباعة";
    back: "Back to the reports", "العودة إلى التقارير";
    time_zone: "Time zone", "المنطقة الزمنية";
    card: "Card", "بطاقة";
    mobile_money: "Mobile wallet", "محفظة الجوال";
    installments: "Installments", "تقسيط";
    cash: "Cash", "نقدًا";
}

impl ReportTexts {
    /// A method's name as people read it.
    pub fn method(&self, code: &str) -> String {
        match code {
            "card" => self.card.to_owned(),
            "mobile_money" => self.mobile_money.to_owned(),
            "installments" => self.installments.to_owned(),
            "cash" => self.cash.to_owned(),
            other => other.to_owned(),
        }
    }
}
