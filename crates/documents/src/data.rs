//! What callers pass as `RenderRequest::data`, one shape per [`crate::DocKind`].
//! Serialize one of these with `serde_json::to_value`; docs/DOCUMENTS.md shows the JSON.
//! Extra top-level keys are kept and reach the template unchanged (for edited templates).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Справка о регистрации.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CertificateData {
    /// Premises address as printed: «г. Москва, ул. Ленина, д. 1, кв. 5».
    pub address: String,
    /// Лицевой счёт, if the certificate names it.
    #[serde(default)]
    pub account: Option<String>,
    pub persons: Vec<RegisteredPerson>,
    /// «для предъявления по месту требования» when absent.
    #[serde(default)]
    pub purpose: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredPerson {
    /// Фамилия Имя Отчество.
    pub full_name: String,
    pub birth_date: Option<NaiveDate>,
    pub registered_on: Option<NaiveDate>,
    /// «по месту жительства» / «по месту пребывания до 01.06.2027».
    #[serde(default)]
    pub registration: Option<String>,
    /// Родство к собственнику / нанимателю: «собственник», «сын».
    #[serde(default)]
    pub relation: Option<String>,
}

/// Выписка из лицевого счёта.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatementData {
    pub account: String,
    pub address: String,
    /// «квартира», «нежилое помещение».
    #[serde(default)]
    pub premises_kind: Option<String>,
    /// Areas in hundredths of m² (5430 = 54,3 м²), as the registry stores them.
    #[serde(default)]
    pub total_area_centi: Option<i64>,
    #[serde(default)]
    pub living_area_centi: Option<i64>,
    #[serde(default)]
    pub rooms: Option<u32>,
    #[serde(default)]
    pub opened_on: Option<NaiveDate>,
    /// Share of the premises the account covers: «1», «1/2».
    #[serde(default)]
    pub share: Option<String>,
    #[serde(default)]
    pub persons: Vec<StatementPerson>,
    #[serde(default)]
    pub benefits: Vec<BenefitLine>,
    /// Balance on `issued_on`: positive = debt, negative = overpayment. None = not printed.
    #[serde(default)]
    pub balance_kopecks: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementPerson {
    pub full_name: String,
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    /// «собственник», «зарегистрирован», «наниматель».
    pub role: String,
    /// Ownership share: «1/2».
    #[serde(default)]
    pub share: Option<String>,
    #[serde(default)]
    pub registered_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenefitLine {
    pub person: String,
    /// «Ветеран труда».
    pub name: String,
    /// Confirming document: «удостоверение серии … № …».
    #[serde(default)]
    pub document: Option<String>,
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
}

/// Квитанция-извещение.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PaymentData {
    /// Лицевой счёт (QR `PersAcc`).
    pub account: String,
    pub payer: Payer,
    /// Payer's address (QR `PayerAddress`).
    pub address: String,
    /// Flat number (QR `Flat`), optional.
    #[serde(default)]
    pub flat: Option<String>,
    pub period: BillingPeriod,
    /// Amount due in kopecks (QR `Sum`); must be > 0.
    pub amount_kopecks: i64,
    /// QR `Purpose`, ≤ 210 characters; «Оплата ЖКУ за <период>, л/с <счёт>» when absent.
    #[serde(default)]
    pub purpose: Option<String>,
    #[serde(default)]
    pub due_date: Option<NaiveDate>,
    /// Optional breakdown printed under the form (a document made by hand).
    #[serde(default)]
    pub charges: Vec<ChargeLine>,
    /// The month's services from the ledger (ПП 354 п. 69 «е»): volume, tariff, charge,
    /// recalculation, paid, due. With them (or a debt or penalty line) the document is
    /// itemized and `amount_kopecks` must equal the lines' total.
    #[serde(default)]
    pub lines: Vec<PaymentLine>,
    /// Debt of the other periods still unpaid (п. 69 «ж»), kopecks.
    #[serde(default)]
    pub earlier_debt_kopecks: i64,
    /// The first and last period that debt covers.
    #[serde(default)]
    pub earlier_from: Option<BillingPeriod>,
    #[serde(default)]
    pub earlier_to: Option<BillingPeriod>,
    /// Penalties owed (own line, QR `AddAmount`), kopecks.
    #[serde(default)]
    pub penalty_kopecks: i64,
    /// An advance that lowers the total, kopecks.
    #[serde(default)]
    pub advance_kopecks: i64,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl PaymentData {
    /// Whether the document carries ledger lines (debt, penalty or services).
    pub fn itemized(&self) -> bool {
        !self.lines.is_empty()
            || self.earlier_debt_kopecks != 0
            || self.penalty_kopecks != 0
            || self.advance_kopecks != 0
    }

    /// What the lines add up to.
    pub fn lines_total(&self) -> i64 {
        self.lines.iter().map(|l| l.due_kopecks).sum::<i64>()
            + self.earlier_debt_kopecks
            + self.penalty_kopecks
            - self.advance_kopecks
    }
}

/// One service of the month on a payment document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentLine {
    /// «Отопление».
    pub service: String,
    /// «Гкал», «м³»; what the charges import carried, else none.
    #[serde(default)]
    pub unit: Option<String>,
    /// «3.5» as imported, else none.
    #[serde(default)]
    pub volume: Option<String>,
    /// «45.12» roubles per unit as imported, else none.
    #[serde(default)]
    pub tariff: Option<String>,
    pub charged_kopecks: i64,
    #[serde(default)]
    pub recalculated_kopecks: i64,
    /// Already paid of this month's charge.
    #[serde(default)]
    pub paid_kopecks: i64,
    pub due_kopecks: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payer {
    pub last_name: String,
    pub first_name: String,
    #[serde(default)]
    pub middle_name: Option<String>,
}

impl Payer {
    pub fn full_name(&self) -> String {
        [
            Some(self.last_name.as_str()),
            Some(self.first_name.as_str()),
            self.middle_name.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
    }
}

/// A billing month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingPeriod {
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeLine {
    /// «Содержание жилого помещения».
    pub service: String,
    pub amount_kopecks: i64,
}

/// Письмо на бланке. The outgoing number and date are the request's `reg_number`/`issued_on`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LetterData {
    /// Addressee block, one line per entry: «Иванову И. И.», «ул. Ленина, д. 1, кв. 5».
    pub addressee: Vec<String>,
    /// «О перерасчёте платы за отопление».
    pub subject: String,
    /// «Уважаемый Иван Иванович!», optional.
    #[serde(default)]
    pub salutation: Option<String>,
    /// Body, one paragraph each.
    pub paragraphs: Vec<String>,
    /// The incoming letter this answers: «На № 15 от 01.11.2026».
    #[serde(default)]
    pub in_reply_to: Option<ReplyTo>,
    /// «Исп. Петрова А. А., тел. +7 (495) 123-45-67».
    #[serde(default)]
    pub executor: Option<String>,
    /// Who signs, when not the director: «Главный инженер», «Петров П. П.».
    #[serde(default)]
    pub signer_title: Option<String>,
    #[serde(default)]
    pub signer_name: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyTo {
    pub number: String,
    pub date: NaiveDate,
}

/// Акт по жалобе: what the complaint was about, what was found, done and decided.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintActData {
    /// The appeal's number: «Ж-2026-000012».
    pub appeal_number: String,
    pub received_on: NaiveDate,
    /// «Иванов Иван Иванович», or «анонимно».
    pub applicant: String,
    pub address: String,
    #[serde(default)]
    pub category: Option<String>,
    /// The substance as registered.
    pub substance: String,
    pub cause: String,
    /// «Подрядчик: ООО «Лифт-Сервис»», «Отдел эксплуатации».
    pub responsible: String,
    #[serde(default)]
    pub parties: Option<String>,
    /// The work done (the appeal's result); empty — none was needed.
    #[serde(default)]
    pub actions: Option<String>,
    pub decision: String,
    /// Who drew up the act, one per line.
    #[serde(default)]
    pub commission: Vec<String>,
}

/// Уведомление о задолженности (ПП 354 пп. 117–119).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DebtNoticeData {
    pub account: String,
    pub address: String,
    /// Фамилия Имя Отчество of the owner or tenant; «Собственнику помещения» when absent.
    #[serde(default)]
    pub debtor: Option<String>,
    /// The date the debt is counted on.
    pub as_of: NaiveDate,
    /// Unpaid charges by period and service.
    pub lines: Vec<DebtPeriodLine>,
    pub total_kopecks: i64,
    /// Penalties posted (printed separately; not part of the limitation threshold).
    #[serde(default)]
    pub penalties_kopecks: i64,
    /// Days from delivery to pay before limitation (ПП 354 п. 119: 20).
    pub notice_days: u32,
    /// Utilities that may be limited (threshold exceeded).
    #[serde(default)]
    pub services_to_limit: Vec<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebtPeriodLine {
    /// «сентябрь 2026».
    pub period: String,
    pub service: String,
    pub amount_kopecks: i64,
}

/// Соглашение о погашении задолженности в рассрочку.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InstallmentAgreementData {
    pub account: String,
    pub address: String,
    /// Фамилия Имя Отчество of the debtor who signs.
    pub debtor: String,
    pub total_kopecks: i64,
    pub schedule: Vec<ScheduleLine>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleLine {
    pub due: NaiveDate,
    pub amount_kopecks: i64,
}

/// Расчёт пени (ЖК ст. 155 ч. 14): the court-style table of the penalty on a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PenaltyData {
    pub account: String,
    pub address: String,
    /// The date the calculation is made «на».
    pub calc_date: NaiveDate,
    /// The rows as `abonent_domain::penalty::calculate` gives them.
    pub rows: Vec<abonent_domain::penalty::PenaltyRow>,
    pub total_kopecks: i64,
    /// The rule and its source: «ЖК РФ ст. 155 ч. 14: дни 1–30 без пени, …».
    #[serde(default)]
    pub basis: Option<String>,
    /// The debtor's name, when known.
    #[serde(default)]
    pub debtor: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One period of a ledger statement (by the period each entry is booked in), kopecks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementPeriod {
    pub period: BillingPeriod,
    /// Debt before the period (negative: advance).
    pub opening_kopecks: i64,
    pub charged_kopecks: i64,
    pub recalculated_kopecks: i64,
    pub penalties_kopecks: i64,
    /// Payments less reversals.
    pub paid_kopecks: i64,
    /// opening + charged + recalculated + penalties − paid.
    pub closing_kopecks: i64,
}

/// Выписка по лицевому счёту за период: charges, payments and penalties by period with
/// opening and closing balances.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerStatementData {
    pub account: String,
    pub address: String,
    /// Owners or tenants, as printed: «Иванов Иван Иванович».
    #[serde(default)]
    pub holders: Vec<String>,
    pub periods: Vec<StatementPeriod>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Справка об отсутствии задолженности.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NoDebtData {
    pub account: String,
    pub address: String,
    #[serde(default)]
    pub holders: Vec<String>,
    /// The date the ledger was checked on.
    pub as_of: NaiveDate,
    /// Balance on `as_of`: 0 or negative (overpayment), or charges not yet due. A debt
    /// (anything beyond `not_yet_due_kopecks`) refuses the certificate.
    pub balance_kopecks: i64,
    /// Charged but due after `as_of`: not a debt (ЖК ст. 155 ч. 1), printed as such.
    #[serde(default)]
    pub not_yet_due_kopecks: i64,
    /// Last period with charges, «по ноябрь 2026 г. включительно».
    #[serde(default)]
    pub last_period: Option<BillingPeriod>,
    /// «для предъявления по месту требования» when absent.
    #[serde(default)]
    pub purpose: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The court that decides the application.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Court {
    /// «Мировой судья судебного участка № 3 Ленинского судебного района г. Екатеринбурга».
    pub name: String,
    pub address: String,
}

/// The debtor as ГПК ст. 124 ч. 2 п. 3 asks: name, address, date and place of birth and an
/// identifier when known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Debtor {
    pub full_name: String,
    /// Place of residence (the premises when nothing else is known).
    pub address: String,
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    #[serde(default)]
    pub birth_place: Option<String>,
    /// Passport, СНИЛС, ИНН… as written in the registry.
    #[serde(default)]
    pub identifier: Option<String>,
    /// «собственник», «собственник, доля 1/2».
    #[serde(default)]
    pub title: Option<String>,
    /// A court's limit of capacity, printed beside the name; none when capable.
    #[serde(default)]
    pub capacity: Option<String>,
}

/// A debt line by period and service, kopecks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebtRow {
    pub period: BillingPeriod,
    /// «Отопление»; empty for an opening balance kept as one sum.
    #[serde(default)]
    pub service: String,
    pub charged_kopecks: i64,
    pub paid_kopecks: i64,
    pub remaining_kopecks: i64,
    /// The last day to pay it (limitation counts from the day after).
    #[serde(default)]
    pub due_date: Option<NaiveDate>,
}

/// The state duty (НК ст. 333.19) with the line that shows how it was computed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duty {
    pub duty_kopecks: i64,
    /// `2 000,00 ₽ + 1,5% × (150 000,00 ₽ − 100 000,00 ₽) = 2 750,00 ₽`.
    pub formula: String,
    pub source: String,
}

/// Заявление о вынесении судебного приказа with its appendices in one PDF set: the debt
/// calculation, the penalty calculation, the ledger statement, the duty; and a note for the
/// specialist listing the time-barred charges left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourtOrderData {
    pub court: Court,
    pub debtor: Debtor,
    /// Debtors liable jointly with `debtor` («солидарно»): the capable family members of a
    /// social tenant (ЖК ст. 69 ч. 2), owners in common joint property, both parents.
    #[serde(default)]
    pub co_debtors: Vec<Debtor>,
    /// The minor owner whose part the debtors pay as legal representatives (Пленум ВС РФ
    /// № 22, п. 28).
    #[serde(default)]
    pub minor: Option<Debtor>,
    /// The part of the account's debt this application claims, `1/2`; none — the whole.
    #[serde(default)]
    pub share: Option<String>,
    /// The account's whole debt and penalty the share was taken from, kopecks.
    #[serde(default)]
    pub account_debt_kopecks: Option<i64>,
    #[serde(default)]
    pub account_penalty_kopecks: Option<i64>,
    /// Of `penalty.total_kopecks`, what the debtors already paid (the ledger's penalties paid,
    /// this application's proportion): not claimed again.
    #[serde(default)]
    pub penalty_paid_kopecks: i64,
    /// What the debt is for when the application claims only some charges: «оплате
    /// коммунальных услуг»; none — «оплате жилого помещения и коммунальных услуг».
    #[serde(default)]
    pub subject: Option<String>,
    /// Why these debtors answer for this part (shares, joint liability), one paragraph.
    #[serde(default)]
    pub liability: Option<String>,
    pub account: String,
    /// The premises the services were provided to.
    pub address: String,
    /// Unpaid charges claimed (within the limitation), oldest first.
    pub debt_rows: Vec<DebtRow>,
    /// The penalty calculation on the filing date, for the claimed periods only.
    pub penalty: PenaltyData,
    /// Ledger statement over the claimed periods.
    pub statement: Vec<StatementPeriod>,
    pub duty: Duty,
    /// Charges due before this date are time-barred (ГК ст. 196, 200).
    pub time_barred_before: NaiveDate,
    /// Unpaid charges left out as time-barred.
    #[serde(default)]
    pub time_barred: Vec<DebtRow>,
    /// The claim limit of a court order, kopecks (ГПК ст. 121).
    pub claim_limit_kopecks: i64,
    /// What the organization's right rests on: «договор управления от …».
    #[serde(default)]
    pub basis: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CourtOrderData {
    pub fn debt_kopecks(&self) -> i64 {
        self.debt_rows.iter().map(|r| r.remaining_kopecks).sum()
    }

    /// The penalty claimed: calculated less what was already paid.
    pub fn penalty_claimed_kopecks(&self) -> i64 {
        (self.penalty.total_kopecks - self.penalty_paid_kopecks).max(0)
    }

    /// Debt plus penalty claimed: what the application claims (the duty is asked on top).
    pub fn claim_kopecks(&self) -> i64 {
        self.debt_kopecks() + self.penalty_claimed_kopecks()
    }

    pub fn time_barred_kopecks(&self) -> i64 {
        self.time_barred.iter().map(|r| r.remaining_kopecks).sum()
    }
}

/// A resident's application form (issue 20 §5), filled from the person and account cards
/// for the resident to complete by hand and sign.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResidentApplicationData {
    /// `recalculation`, `absence`, `installment`, `claim`, `complaint`, `certificate`.
    pub form: String,
    /// «Иванова Ольга Петровна».
    pub applicant: String,
    pub address: String,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// The people registered in the premises (the absence form lists whom it is for).
    #[serde(default)]
    pub registered: Vec<String>,
    /// The debt on `as_of` (the installment form states it).
    #[serde(default)]
    pub debt_kopecks: Option<i64>,
    #[serde(default)]
    pub as_of: Option<NaiveDate>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
