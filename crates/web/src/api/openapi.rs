//! The OpenAPI 3.1 document of `/api/v1`, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::appeals::{self, files, incidents, orders, reference};
use super::ledger::{self, debtors};
use super::registry::{accounts, buildings, import, persons, premises};
use super::{correspondence, documents, outbox, privacy};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Абонент — API",
        description = "API абонентского отдела управляющей организации. Доступ: API-токен (заголовок `Authorization: Bearer abn_…`, выдаёт администратор) или сеанс веб-интерфейса (для изменений — заголовок `X-CSRF-Token`). Ошибки — `application/problem+json` с сообщением по каждому полю (`errors[].field`, `errors[].message`). Деньги — целые копейки, даты — `ГГГГ-ММ-ДД`, моменты времени — UTC (RFC 3339)."
    ),
    paths(
        super::me, super::search,
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
        documents::list, documents::create, documents::show, documents::pdf,
        documents::list_templates, documents::show_template, documents::upload_template,
        documents::preview_template, documents::revert_template,
        ledger::services, ledger::account_ledger, ledger::account_penalty, ledger::turnover_sheet, ledger::debtors,
        ledger::imports, ledger::charges, ledger::payments_upload, ledger::job,
        ledger::unmatched, ledger::unmatched_one, ledger::resolve, ledger::cash, ledger::reverse,
        ledger::profiles_list, ledger::profile_create, ledger::profile_update,
        ledger::reference_get, ledger::reference_put, ledger::penalty_run, ledger::penalty_runs,
        debtors::show, debtors::move_one, debtors::move_many, debtors::notices, debtors::notice,
        debtors::delivery, debtors::plan, debtors::plan_create, debtors::plan_break,
        debtors::rules_get, debtors::rules_put,
        ledger::documents::penalty_pdf, ledger::documents::ledger_document, ledger::documents::court_packet,
        privacy::log, privacy::subject_export,
    ),
    components(schemas(abonent_domain::FieldError, Problem)),
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
        (name = "Должники", description = "Работа с должниками: этапы (ПП 354 пп. 117–122, ГПК ст. 121–124), уведомления и журнал вручения, рассрочки."),
    )
)]
pub struct ApiDoc;

/// Error document (RFC 9457).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct Problem {
    title: String,
    status: u16,
    detail: String,
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

pub async fn spec() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi().merge_from(super::appeals::routing::RoutingDoc::openapi()))
}
