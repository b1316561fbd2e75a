//! The registry's use cases, which pages and the API share, on both databases.

use abonent_app::{registry, App, AppError, Clock};
use abonent_domain::registry::{duplicate_person_conflict, PersonForm};
use abonent_storage::{both_backends, Actor, Db};

fn actor() -> Actor {
    Actor {
        user_id: None,
        name: "тест".into(),
    }
}

fn ivanov(phone: &str) -> PersonForm {
    PersonForm {
        last_name: Some("Иванов".into()),
        first_name: Some("Иван".into()),
        phones: Some(phone.into()),
        ..Default::default()
    }
}

// A likely duplicate is asked about once, with the candidates; confirmed, it is saved.
both_backends!(
    a_likely_duplicate_person_is_asked_about,
    |db: Db| async move {
        let app = App::new(db, Clock::System);
        let first =
            registry::create_person(&app, &ivanov("+7 912 000-00-01"), None, false, &actor())
                .await
                .unwrap();
        assert_eq!(first.account_id, None);
        let e = registry::create_person(&app, &ivanov("+7 912 000-00-02"), None, false, &actor())
            .await
            .unwrap_err();
        assert_eq!(e.detail(), duplicate_person_conflict());
        let candidates = registry::duplicates_of(&e).expect("candidates");
        assert_eq!(candidates.len(), 1);
        assert_eq!(candidates[0].id, first.id);
        let second =
            registry::create_person(&app, &ivanov("+7 912 000-00-02"), None, true, &actor())
                .await
                .unwrap();
        assert_ne!(second.id, first.id);
        // A change is asked about too, unless confirmed (the API never asks on a change).
        let e = registry::update_person(
            &app,
            second.id,
            &ivanov("+7 912 000-00-03"),
            false,
            &actor(),
        )
        .await
        .unwrap_err();
        assert!(matches!(e, AppError::Conflict { .. }), "{e:?}");
        registry::update_person(&app, second.id, &ivanov("+7 912 000-00-03"), true, &actor())
            .await
            .unwrap();
        // A refusal of the form comes before the question.
        let e = registry::create_person(&app, &PersonForm::default(), None, false, &actor())
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Invalid(_)), "{e:?}");
    }
);
