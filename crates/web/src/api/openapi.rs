//! The OpenAPI 3.1 document of `/api/v1`, generated from the handlers' annotations.

use axum::http::Method;
use axum::Json;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, Response};
use utoipa::{Modify, OpenApi};

use crate::routes::{self, Access};

use super::appeals::{self, files, incidents, orders, reference};
use super::ledger::{self, debtors};
use super::registry::{accounts, buildings, import, persons, premises};
use super::{
    absences, consultations, correspondence, documents, knowledge, outages, outbox, privacy,
    tariffs,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Абонент — API",
        description = "API абонентского отдела управляющей организации. Доступ: API-токен (заголовок `Authorization: Bearer abn_…`, выдаёт администратор) или сеанс веб-интерфейса (для изменений — заголовок `X-CSRF-Token`). Ошибки — `application/problem+json` с сообщением по каждому полю (`errors[].field`, `errors[].message`). Деньги — целые копейки, даты — `ГГГГ-ММ-ДД`, моменты времени — UTC (RFC 3339)."
    ),
    paths(
        super::me, super::search, crate::pickers::api,
        buildings::list, buildings::create, buildings::show, buildings::update, buildings::close, buildings::premises, buildings::history,
        premises::create, premises::show, premises::update, premises::close,
        accounts::list, accounts::create, accounts::show, accounts::update, accounts::close, accounts::history,
        persons::list, persons::create, persons::show, persons::update, persons::close, persons::erase, persons::history,
        persons::create_link, persons::update_link, persons::close_link,
        persons::create_benefit, persons::update_benefit, persons::close_benefit,
        import::registry, import::job,
        appeals::list, appeals::create, appeals::show, appeals::status, appeals::bulk, appeals::comment, appeals::history, appeals::suggest, appeals::priority, appeals::localised,
        reference::categories, reference::create_category, reference::update_category,
        reference::rules, reference::save_rule,
        reference::bindings, reference::create_binding, reference::remove_binding,
        incidents::list, incidents::proposals, incidents::create, incidents::show,
        incidents::link, incidents::close, incidents::recurring,
        orders::list, orders::show, orders::status,
        files::files_list, files::files_add, files::files_get,
        outbox::list, outbox::show, outbox::retry, outbox::cancel,
        correspondence::list_incoming, correspondence::create_incoming, correspondence::show_incoming,
        correspondence::update_incoming, correspondence::set_incoming_status, correspondence::incoming_history,
        correspondence::list_outgoing, correspondence::create_outgoing, correspondence::show_outgoing,
        correspondence::update_outgoing, correspondence::outgoing_history,
        correspondence::attach_incoming, correspondence::attach_outgoing, correspondence::download,
        correspondence::export_register,
        documents::list, documents::create, documents::show, documents::pdf, documents::hand_in,
        documents::print_run::start, documents::print_run::show, documents::print_run::pdf, documents::print_run::zip,
        documents::list_templates, documents::show_template, documents::upload_template,
        documents::preview_template, documents::revert_template,
        ledger::services, ledger::services::create, ledger::services::update, ledger::account_ledger, ledger::account_penalty, ledger::turnover_sheet, ledger::debtors,
        ledger::imports, ledger::charges, ledger::payments_upload, ledger::job,
        ledger::unmatched, ledger::unmatched_one, ledger::resolve, ledger::cash, ledger::reverse,
        ledger::profiles_list, ledger::profile_create, ledger::profile_update,
        ledger::reference_get, ledger::reference_put, ledger::penalty_run, ledger::penalty_runs,
        debtors::show, debtors::move_one, debtors::court, debtors::collection, debtors::move_many, debtors::notices, debtors::notice, debtors::mailing,
        debtors::delivery, debtors::plan, debtors::plan_create, debtors::plan_break,
        debtors::rules_get, debtors::rules_put,
        ledger::documents::penalty_pdf, ledger::documents::ledger_document, ledger::documents::court_packet,
        privacy::log, privacy::subject_export,
        tariffs::list, tariffs::create, tariffs::norms, tariffs::create_norm, tariffs::import, tariffs::explain, tariffs::answer_letter,
        absences::list, absences::create, absences::show, absences::approve, absences::refuse, absences::post,
        consultations::create, consultations::list, consultations::show,
        outages::list, outages::create, outages::show, outages::update, outages::actual, outages::proposal, outages::post, outages::reverse,
        outages::norms_get, outages::norms_put,
        knowledge::list, knowledge::show, knowledge::create, knowledge::new_version, knowledge::confirm, knowledge::unread, knowledge::suggest,
    ),
    components(schemas(abonent_domain::FieldError, Problem, appeals::types::View)),
    modifiers(&Security),
    security(("token" = [])),
    tags(
        (name = "Доступ"), (name = "Поиск"), (name = "Дома"), (name = "Помещения"),
        (name = "Лицевые счета"), (name = "Люди", description = "Персональные данные (152-ФЗ): чтение карточки записывается в историю."),
        (name = "Персональные данные", description = "152-ФЗ: журнал доступа к персональным данным (аудитор, администратор) и выгрузка всего, что хранится о человеке (ст. 14). Каждый ответ, показавший людей, записывается в журнал одной записью с их списком."),
        (name = "Импорт"), (name = "Обращения"),
        (name = "Уведомления", description = "Очередь писем и SMS жителям (только администратор)."),
        (name = "Документы", description = "Справки, выписки, квитанции с QR-кодом (ГОСТ Р 56042-2014) и письма: номер по схеме нумерации, PDF хранится и печатается повторно без изменений; исправление — новый документ со ссылкой на прежний. Шаблоны документов: просмотр, загрузка (с проверкой), предпросмотр, возврат поставляемого."),
        (name = "Корреспонденция", description = "Журналы входящих и исходящих писем: номера без пропусков по журналу и году, сроки ответа по производственному календарю."),
        (name = "Расчёты", description = "Начисления, оплаты, пени, долги. Деньги — копейки; периоды — ГГГГ-ММ."),
        (name = "Тарифы", description = "Реестр тарифов и нормативов потребления с периодами действия и основаниями; тариф не исправляют, новый закрывает прежний. Расшифровка начислений месяца («почему такая сумма»)."),
        (name = "Временное отсутствие", description = "Перерасчёт платы за коммунальные услуги при временном отсутствии (ПП 354, раздел VIII): заявление регистрируется обращением, расчёт по услугам и дням, решение, проводка в расчёты со ссылкой на заявление."),
        (name = "Отключения", description = "Плановые и аварийные отключения услуг (подрядчик видит и меняет только свои) и перерасчёт платы за перерывы сверх допустимых и отклонение температуры (ПП 354, приложение № 1): предложение по лицевым счетам, проводка в расчёты со ссылкой на отключение, сторно. Таблица допустимых перерывов — данные с источником, меняет администратор."),
        (name = "База знаний", description = "Статьи для ответов жителям: версии (правка — новая версия, прежние хранятся), поиск по словам в любой форме с подсветкой, статьи «новое в законодательстве» с подтверждением прочтения и списком не подтвердивших. Читают все, кроме подрядчика; подтверждают все, кто отвечает жителям; пишут администратор, руководитель и юрист."),
        (name = "Должники", description = "Работа с должниками: этапы (ПП 354 пп. 117–122, ГПК ст. 121–124), уведомления и журнал вручения, рассрочки."),
    )
)]
pub struct ApiDoc;

/// Error document (RFC 9457), `application/problem+json`. A likely duplicate (409) adds its
/// candidates beside these fields (`duplicates`).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct Problem {
    /// Always `about:blank`.
    #[schema(rename = "type")]
    kind: String,
    /// What went wrong, in Russian.
    title: String,
    /// The HTTP status.
    status: u16,
    /// What to do about it, in Russian.
    detail: String,
    /// A message per field: 422 (errors in the data; a file's errors add its `line`) and
    /// 400 (an unreadable part of the request).
    errors: Option<Vec<abonent_domain::FieldError>>,
}

struct Security;

impl Modify for Security {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The refusals an operation can answer, declared from what the server does rather than by
/// each handler: the guard (401 without a valid token; 403 for a role the route's permission
/// leaves out, and for a session's change without its CSRF token), the extractors (400 for an
/// unreadable path part, query parameter or body), a record named by the address or the body
/// that is not there (404), the use cases' checks (422 wherever data comes in). 409 (a likely
/// duplicate) and any other status stay in the handler's own `responses(...)`. Every refusal
/// is problem+json.
struct Refusals;

const REFUSALS: [(u16, &str); 6] = [
    (400, "Запрос не разобран: неверная часть адреса, параметр или тело запроса (`errors[].field` называет его)."),
    (401, "Нет API-токена, токен неверен или отозван."),
    (403, "Роли это не разрешено; при работе по сеансу изменение без заголовка `X-CSRF-Token`."),
    (404, "Записи, названной в адресе или в теле запроса, нет."),
    (409, "Вероятный дубликат: кандидаты в ответе; чтобы сохранить всё равно, повторите с `?confirm_duplicate=true`."),
    (422, "Ошибки в данных: `errors[]` — поле и сообщение по-русски."),
];

impl Refusals {
    /// The refusals of one operation of the route table.
    fn of(method: &Method, access: Access, op: &Operation) -> Vec<u16> {
        let params = op.parameters.iter().flatten();
        let in_path = params.clone().any(|p| p.parameter_in == ParameterIn::Path);
        let in_query = params.clone().any(|p| p.parameter_in == ParameterIn::Query);
        let body = op.request_body.is_some();
        let write = method != Method::GET;
        let mut codes = Vec::new();
        if access != Access::Public {
            codes.push(401);
        }
        if matches!(access, Access::Perm(_)) || (write && access != Access::Public) {
            codes.push(403);
        }
        if in_path || in_query || body {
            codes.push(400);
        }
        // A record named by the address, or by the body (`appeal_ids`, a register profile).
        if in_path || body {
            codes.push(404);
        }
        if in_query || body || write {
            codes.push(422);
        }
        codes
    }
}

impl Modify for Refusals {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let table = routes::all();
        for (path, item) in api.paths.paths.iter_mut() {
            let ops = [
                (Method::GET, &mut item.get),
                (Method::POST, &mut item.post),
                (Method::PUT, &mut item.put),
                (Method::DELETE, &mut item.delete),
                (Method::PATCH, &mut item.patch),
            ];
            for (method, op) in ops {
                let Some(op) = op else { continue };
                let access = table
                    .iter()
                    .find(|r| r.path == path.as_str() && r.method == method)
                    .map_or(Access::Staff, |r| r.access);
                for code in Refusals::of(&method, access, op) {
                    op.responses
                        .responses
                        .entry(code.to_string())
                        .or_insert_with(|| RefOr::T(Response::new("")));
                }
                // Every refusal, declared here or by the handler, is a problem document unless the
                // handler says otherwise.
                for (code, response) in op.responses.responses.iter_mut() {
                    let RefOr::T(response) = response else {
                        continue;
                    };
                    let Some((_, text)) = REFUSALS.iter().find(|(c, _)| c.to_string() == *code)
                    else {
                        continue;
                    };
                    if response.description.is_empty() {
                        response.description = text.to_string();
                    }
                    // A body the handler declares for a refusal is its own.
                    if response.content.is_empty() {
                        response.content.insert(
                            "application/problem+json".into(),
                            Content::new(Some(Ref::from_schema_name("Problem"))),
                        );
                    }
                }
            }
        }
    }
}

/// The whole document: the annotated handlers, the routing part, the refusals.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi()
        .merge_from(super::appeals::routing::RoutingDoc::openapi())
        .merge_from(super::reports::ReportsDoc::openapi());
    Refusals.modify(&mut doc);
    doc
}

pub async fn spec() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}
