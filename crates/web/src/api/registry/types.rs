//! What the registry API answers (see `api::types`).

use abonent_domain::registry::{
    AccountData, BenefitData, BuildingData, LinkData, PersonData, PremisesData,
};
use abonent_storage::registry as store;

use serde::Serialize;
use utoipa::ToSchema;

use crate::api::types::mirror;

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Building from store::Building {
        pub id: i64,
        #[serde(flatten)]
        pub data: BuildingData,
        pub address: String,
        pub premises_count: i64,
        pub closed_at: Option<String>,
        pub close_reason: Option<String>,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Premises from store::Premises {
        pub id: i64,
        #[serde(flatten)]
        pub data: PremisesData,
        pub label: String,
        pub building_address: String,
        pub closed_at: Option<String>,
        pub close_reason: Option<String>,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Account from store::Account {
        pub id: i64,
        #[serde(flatten)]
        pub data: AccountData,
        pub building_id: i64,
        /// Building address with the flat: `г. Екатеринбург, ул. Ленина, д. 5, кв. 12`.
        pub address: String,
        pub premises_label: String,
        pub close_reason: Option<String>,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct AccountListItem from store::AccountListItem {
        pub id: i64,
        pub number: String,
        pub address: String,
        pub owners: String,
        pub opened_on: String,
        pub closed_on: Option<String>,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Person from store::Person {
        pub id: i64,
        #[serde(flatten)]
        pub data: PersonData,
        pub full_name: String,
        pub closed_at: Option<String>,
        pub close_reason: Option<String>,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Link from store::Link {
        pub id: i64,
        #[serde(flatten)]
        pub data: LinkData,
        pub closed_at: Option<String>,
    }
}

mirror! {
    /// A link as shown on a card: with the other side's name.
    #[derive(Debug, Serialize, ToSchema)]
    pub struct LinkView from store::LinkView {
        #[serde(flatten)]
        pub link: Link,
        pub role_title: String,
        pub person_name: String,
        pub account_number: String,
        pub address: String,
    }
}

mirror! {
    #[derive(Debug, Serialize, ToSchema)]
    pub struct Benefit from store::Benefit {
        pub id: i64,
        #[serde(flatten)]
        pub data: BenefitData,
        pub closed_at: Option<String>,
        pub close_reason: Option<String>,
    }
}
