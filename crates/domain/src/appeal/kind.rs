//! Kinds, channels and priorities of appeals, with stable codes and Russian titles.

use serde::{Deserialize, Serialize};

macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = ($code:literal, $title:literal)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// Stable machine code (database, API).
            pub fn code(self) -> &'static str {
                match self { $($name::$v => $code),+ }
            }

            /// Russian title for the UI.
            pub fn title(self) -> &'static str {
                match self { $($name::$v => $title),+ }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|k| k.code() == code.trim())
            }
        }
    };
}

coded_enum!(
    /// What the resident wants.
    AppealKind {
        /// Заявка: work to be done.
        Request = ("request", "Заявка"),
        /// Жалоба: poor service or an action.
        Complaint = ("complaint", "Жалоба"),
        InformationRequest = ("information_request", "Запрос информации"),
        Consultation = ("consultation", "Консультация"),
    }
);

coded_enum!(
    /// How the appeal arrived.
    Channel {
        Phone = ("phone", "Телефон"),
        Email = ("email", "Электронная почта"),
        Visit = ("visit", "Личный приём"),
        Letter = ("letter", "Письмо"),
        Portal = ("portal", "Личный кабинет жителя"),
        StatePortal = ("state_portal", "ГИС ЖКХ"),
        Messenger = ("messenger", "Мессенджер"),
        Other = ("other", "Другое"),
    }
);

coded_enum!(
    /// How fast it must be handled; `Emergency` means a threat to life, health or property.
    Priority {
        Emergency = ("emergency", "Аварийная"),
        Urgent = ("urgent", "Срочная"),
        Normal = ("normal", "Обычная"),
        Planned = ("planned", "Плановая"),
    }
);

impl AppealKind {
    /// Answered with information: no work, so no quality check before closing.
    pub fn is_informational(self) -> bool {
        matches!(
            self,
            AppealKind::InformationRequest | AppealKind::Consultation
        )
    }
}
