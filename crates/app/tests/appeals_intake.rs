//! The intake use case on both databases: a text the classifier takes for an emergency,
//! sent without a priority, is registered as an emergency — two deadlines and an alert.

use abonent_app::{appeals, App, Clock};
use abonent_domain::appeal::{AppealKind, Channel, Priority};
use abonent_storage::appeals::{alerts, NewAppeal};
use abonent_storage::{both_backends, Actor, Db};

fn gas() -> NewAppeal {
    NewAppeal {
        channel: Some(Channel::Portal),
        address_text: "ул. Ленина, д. 5".into(),
        applicant_phone: "+7 912 345-67-89".into(),
        substance: "Пахнет газом в подъезде".into(),
        ..Default::default()
    }
}

both_backends!(
    a_gas_smell_without_a_priority_is_an_emergency,
    |db: Db| async move {
        let app = App::new(db.clone(), Clock::System);
        let actor = Actor::system("портал");
        let r = appeals::register(&app, &gas(), &actor).await.unwrap();
        assert_eq!(r.priority, Priority::Emergency);
        assert!(r.suggested_emergency);
        assert_eq!(
            r.deadline_rule.as_deref(),
            Some("ads_emergency_elimination")
        );
        assert!(r.localisation_at.is_some());
        assert_eq!(alerts::of_appeal(&db, r.id).await.unwrap().len(), 1);

        // A priority a person chose stands, even against the classifier.
        let r = appeals::register(
            &app,
            &NewAppeal {
                kind: Some(AppealKind::Request),
                priority: Some(Priority::Normal),
                ..gas()
            },
            &actor,
        )
        .await
        .unwrap();
        assert_eq!(r.priority, Priority::Normal);
        assert!(r.localisation_at.is_none());
        assert!(alerts::of_appeal(&db, r.id).await.unwrap().is_empty());

        // Not an emergency by its text: normal, as before.
        let r = appeals::register(
            &app,
            &NewAppeal {
                kind: Some(AppealKind::InformationRequest),
                substance: "Пришлите, пожалуйста, копию договора управления".into(),
                ..gas()
            },
            &actor,
        )
        .await
        .unwrap();
        assert_eq!(r.priority, Priority::Normal);
    }
);
