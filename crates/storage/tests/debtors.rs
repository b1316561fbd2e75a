//! Debtor work on SQLite and PostgreSQL: stage moves checked by the law's order and facts
//! (notice delivery, the 20 days, never-suspended services, the norm-fee threshold), the
//! installment plan that pauses the case and the missed instalment, bulk moves all or none,
//! history of every move, the debtor list filters.

use abonent_domain::debtor::Stage;
use abonent_storage::ledger::debt_cases::{
    self as dc, DeliveryForm, DocToIssue, MoveRequest, NormFees, PlanForm,
};
use abonent_storage::ledger::entries::{self, CashPayment};
use abonent_storage::ledger::{debts, reference};
use abonent_storage::registry::PageReq;
use abonent_storage::{both_backends, Db, StoreError};

mod common;
use common::*;

fn mv(stage: &str, on: &str) -> MoveRequest {
    MoveRequest {
        stage: stage.into(),
        on: Some(on.into()),
        ..Default::default()
    }
}

/// The fields and messages of a refusal.
fn refused(r: Result<impl std::fmt::Debug, StoreError>) -> Vec<(String, String)> {
    match r {
        Err(StoreError::Invalid(v)) => v.0.into_iter().map(|f| (f.field, f.message)).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn fields(r: Result<impl std::fmt::Debug, StoreError>) -> Vec<String> {
    refused(r).into_iter().map(|(f, _)| f).collect()
}

/// Two accounts, each owing 1 000 ₽ electricity and 2 000 ₽ heating for Aug–Oct 2026.
async fn debtors(db: &Db) -> Vec<i64> {
    let (_, ids) = accounts(db, "ул. Мира", &["200001", "200002"]).await;
    let mut lines = Vec::new();
    for n in ["200001", "200002"] {
        for p in ["2026-08", "2026-09", "2026-10"] {
            lines.push(charge(lines.len() + 2, n, p, "electricity", 100000));
            lines.push(charge(lines.len() + 2, n, p, "heating", 200000));
        }
    }
    import(db, "debtors.csv", &lines).await;
    ids
}

fn doc() -> DocToIssue {
    DocToIssue {
        data: serde_json::json!({}),
        org: serde_json::json!({}),
        template_version_id: None,
    }
}

async fn notice(db: &Db, id: i64, today: &str) -> dc::IssuedNotice {
    let facts = dc::debtor_facts(db, id, day(today)).await.unwrap();
    dc::issue_notices(db, &[(facts, doc())], day(today), &actor(), |_, _| {
        Ok(b"%PDF-1.7 notice".to_vec())
    })
    .await
    .unwrap()
    .remove(0)
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.read()).await.unwrap()
}

both_backends!(stages_follow_the_law, |db: Db| async move {
    let ids = debtors(&db).await;
    let a = ids[0];
    let today = day("2026-11-27");
    // No jumping straight to limitation.
    assert_eq!(
        fields(dc::move_stage(&db, a, &mv("limitation", "2026-11-01"), today, &actor()).await),
        ["stage"]
    );
    let c = dc::move_stage(&db, a, &mv("informed", "2026-11-01"), today, &actor())
        .await
        .unwrap();
    assert_eq!(
        (c.stage, c.stage_on.as_deref()),
        (Some(Stage::Informed), Some("2026-11-01"))
    );
    assert_eq!(c.debt, 900000);
    // Notice served needs a notice.
    assert_eq!(
        fields(dc::move_stage(&db, a, &mv("notice_served", "2026-11-02"), today, &actor()).await),
        ["document_id"]
    );
    let n = notice(&db, a, "2026-11-02").await;
    let c = dc::move_stage(&db, a, &mv("notice_served", "2026-11-02"), today, &actor())
        .await
        .unwrap();
    assert_eq!(c.moves[0].document_id, Some(n.document_id));
    // Limitation needs the delivery date.
    let lim = |service: &str, on: &str| MoveRequest {
        service: Some(service.into()),
        ..mv("limitation", on)
    };
    assert!(fields(
        dc::move_stage(&db, a, &lim("electricity", "2026-11-27"), today, &actor()).await
    )
    .contains(&"notice_delivered".to_string()));
    let delivered = dc::record_delivery(
        &db,
        n.notice_id,
        &DeliveryForm {
            method: "post".into(),
            delivered_on: "2026-11-05".into(),
            note: Some("РПО 12345678901234".into()),
        },
        today,
        &actor(),
    )
    .await
    .unwrap();
    assert_eq!(delivered.limitation_from.as_deref(), Some("2026-11-25"));
    let c = dc::case(&db, a, today).await.unwrap();
    assert_eq!(c.limitation_from.as_deref(), Some("2026-11-25"));
    // Heating is never limited, whatever the debt.
    let r = refused(dc::move_stage(&db, a, &lim("heating", "2026-11-27"), today, &actor()).await);
    assert!(
        r.iter()
            .any(|(f, m)| f == "service" && m.contains("Можно приостановить")),
        "{r:?}"
    );
    // The threshold counts in the account's own average charge: 3 000 ₽ owed is more than
    // 2 × 1 000 ₽; the 20 days still have to run.
    assert_eq!(
        fields(dc::move_stage(&db, a, &lim("electricity", "2026-11-24"), today, &actor()).await),
        ["on"]
    );
    let c = dc::move_stage(&db, a, &lim("electricity", "2026-11-25"), today, &actor())
        .await
        .unwrap();
    assert_eq!(c.stage, Some(Stage::Limitation));
    assert_eq!(c.limited_on.as_deref(), Some("2026-11-25"));
    assert_eq!(c.suspension_from.as_deref(), Some("2026-12-05"));
    // Future dates and write-offs without a reason are refused.
    assert_eq!(
        fields(dc::move_stage(&db, a, &mv("suspension", "2026-12-06"), today, &actor()).await),
        ["on"]
    );
    assert_eq!(
        fields(dc::move_stage(&db, a, &mv("written_off", "2026-11-27"), today, &actor()).await),
        ["reason"]
    );
    // Every move is in the log and in history; nothing was written by the refusals.
    assert_eq!(c.moves.len(), 3);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM history WHERE entity = 'debt_case' AND action = 'stage_move'"
        )
        .await,
        3
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM history WHERE entity = 'debt_notice'"
        )
        .await,
        2
    );
});

async fn refused_sql(db: &Db, sql: &str) {
    assert!(
        sqlx::query(sql).execute(db.write()).await.is_err(),
        "{sql} must be refused"
    );
}

both_backends!(the_logs_are_append_only, |db: Db| async move {
    let ids = debtors(&db).await;
    let today = day("2026-11-27");
    dc::move_stage(&db, ids[0], &mv("informed", "2026-11-20"), today, &actor())
        .await
        .unwrap();
    let n = notice(&db, ids[0], "2026-11-21").await;
    let f = DeliveryForm {
        method: "hand".into(),
        delivered_on: "2026-11-22".into(),
        note: None,
    };
    dc::record_delivery(&db, n.notice_id, &f, today, &actor())
        .await
        .unwrap();
    refused_sql(&db, "DELETE FROM debt_stage_moves").await;
    refused_sql(&db, "UPDATE debt_stage_moves SET reason = 'x'").await;
    refused_sql(&db, "DELETE FROM debt_notices").await;
    refused_sql(
        &db,
        "UPDATE debt_notice_deliveries SET delivered_on = '2026-11-01'",
    )
    .await;
    assert_eq!(count(&db, "SELECT COUNT(*) FROM debt_stage_moves").await, 1);
});

both_backends!(a_kept_plan_pauses_the_case, |db: Db| async move {
    let ids = debtors(&db).await;
    let a = ids[0];
    let agreed = day("2026-11-01");
    let facts = dc::debtor_facts(&db, a, agreed).await.unwrap();
    assert_eq!(facts.debt, 900000);
    let form = PlanForm {
        total: None,
        parts: 3,
        first_due: "2026-11-10".into(),
    };
    assert_eq!(
        fields(
            dc::create_plan(
                &db,
                &facts,
                &PlanForm {
                    parts: 0,
                    ..form.clone()
                },
                &doc(),
                agreed,
                &actor(),
                |_| Ok(vec![1])
            )
            .await
        ),
        ["parts"]
    );
    let p = dc::create_plan(&db, &facts, &form, &doc(), agreed, &actor(), |_| {
        Ok(b"%PDF agreement".to_vec())
    })
    .await
    .unwrap();
    assert_eq!((p.total, p.installments.len()), (900000, 3));
    assert!(p.document_id.is_some());
    // A second plan while one is active is refused.
    assert_eq!(
        fields(
            dc::create_plan(&db, &facts, &form, &doc(), agreed, &actor(), |_| Ok(vec![
                1
            ]))
            .await
        ),
        ["account_id"]
    );
    entries::cash_payment(
        &db,
        &CashPayment {
            account_id: a,
            amount: 300000,
            paid_on: day("2026-11-05"),
            paid_period: None,
            receipt_no: "17".into(),
            payer: None,
            for_penalties: false,
        },
        day("2026-11-05"),
        &actor(),
    )
    .await
    .unwrap();
    // Kept: the first part is paid, the case is paused.
    let c = dc::case(&db, a, day("2026-11-20")).await.unwrap();
    let plan = c.plan.as_ref().unwrap();
    assert!(plan.kept && !plan.missed && c.paused);
    assert_eq!(plan.installments[0].paid, 300000);
    assert!(c.next.iter().all(|n| n.stage == Stage::Repaid));
    let r = refused(
        dc::move_stage(
            &db,
            a,
            &mv("informed", "2026-11-20"),
            day("2026-11-20"),
            &actor(),
        )
        .await,
    );
    assert!(r[0].0 == "stage" && r[0].1.contains("рассрочка"), "{r:?}");
    // 10.12 passes without the second part: missed, flagged in the list.
    let later = day("2026-12-15");
    let c = dc::case(&db, a, later).await.unwrap();
    assert!(c.plan.as_ref().unwrap().missed);
    assert!(dc::missed_installment(&db, a, later).await.unwrap());
    // Breaking needs a reason and is logged; then the case moves again.
    assert_eq!(
        fields(dc::break_plan(&db, a, " ", later, &actor()).await),
        ["reason"]
    );
    let c = dc::break_plan(&db, a, "пропущен платёж 10.12.2026", later, &actor())
        .await
        .unwrap();
    assert_eq!(c.plan.as_ref().unwrap().status, "broken");
    assert!(!c.paused);
    assert_eq!(
        c.moves.iter().map(|m| m.event.as_str()).collect::<Vec<_>>(),
        ["plan_broken", "plan_created"]
    );
    dc::move_stage(&db, a, &mv("informed", "2026-12-15"), later, &actor())
        .await
        .unwrap();
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM history WHERE entity = 'installment_plan'"
        )
        .await,
        2
    );
});

both_backends!(bulk_all_or_nothing_and_list_filters, |db: Db| async move {
    let ids = debtors(&db).await;
    let today = day("2026-11-27");
    debts::refresh(&db, None, today).await.unwrap();
    let n = dc::move_many(&db, &ids, &mv("informed", "2026-11-20"), today, &actor())
        .await
        .unwrap();
    assert_eq!(n, 2);
    // Only the first has a notice: the bulk move names the second and writes nothing.
    notice(&db, ids[0], "2026-11-21").await;
    let r = refused(
        dc::move_many(
            &db,
            &ids,
            &mv("notice_served", "2026-11-22"),
            today,
            &actor(),
        )
        .await,
    );
    assert_eq!(r.len(), 1);
    assert!(r[0].1.starts_with("Л/с 200002:"), "{r:?}");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM debt_stage_moves").await, 2);
    dc::move_stage(
        &db,
        ids[0],
        &mv("notice_served", "2026-11-22"),
        today,
        &actor(),
    )
    .await
    .unwrap();
    // A notice whose PDF fails is not issued, nor is any other of the batch.
    let facts = vec![
        (dc::debtor_facts(&db, ids[0], today).await.unwrap(), doc()),
        (dc::debtor_facts(&db, ids[1], today).await.unwrap(), doc()),
    ];
    let before = count(&db, "SELECT COUNT(*) FROM documents").await;
    let calls = std::cell::Cell::new(0);
    let r = dc::issue_notices(&db, &facts, today, &actor(), |_, _| {
        calls.set(calls.get() + 1);
        if calls.get() == 2 {
            Err(StoreError::invalid("template", "шаблон сломан"))
        } else {
            Ok(b"%PDF".to_vec())
        }
    })
    .await;
    assert!(r.is_err());
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents").await, before);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM debt_notices").await, 1);
    // The list filters by stage and plan; it is looked at the day after.
    let list_day = today.succ_opt().unwrap();
    let list = |stage: Option<&str>, has_plan: Option<bool>| {
        let db = db.clone();
        let f = debts::DebtorFilter {
            stage: stage.map(str::to_string),
            has_plan,
            ..Default::default()
        };
        async move {
            debts::debtors(&db, &f, PageReq::new(None, None), list_day)
                .await
                .unwrap()
        }
    };
    let p = list(Some("notice_served"), None).await;
    assert_eq!(
        p.items
            .iter()
            .map(|r| r.number.as_str())
            .collect::<Vec<_>>(),
        ["200001"]
    );
    assert_eq!(
        p.items[0].stage_title.as_deref(),
        Some("Вручено уведомление")
    );
    assert_eq!(list(Some("informed"), None).await.total, 1);
    assert_eq!(list(Some("none"), None).await.total, 0);
    assert_eq!(list(None, Some(true)).await.total, 0);
    let facts = dc::debtor_facts(&db, ids[1], today).await.unwrap();
    dc::create_plan(
        &db,
        &facts,
        &PlanForm {
            total: Some(100000),
            parts: 2,
            first_due: "2026-11-27".into(),
        },
        &doc(),
        today,
        &actor(),
        |_| Ok(b"%PDF".to_vec()),
    )
    .await
    .unwrap();
    let p = list(None, Some(true)).await;
    assert_eq!(
        p.items
            .iter()
            .map(|r| r.number.as_str())
            .collect::<Vec<_>>(),
        ["200002"]
    );
    assert!(p.items[0].has_plan);
    // Its first part fell due on 27.11.2026 and nothing was paid: the next day's list flags it.
    assert!(p.items[0].missed_installment);
    assert_eq!(list(None, Some(false)).await.total, 1);
    // Rules are data with a source.
    assert!(reference::debt_rules(&db).await.unwrap().notice_days == 20);
});

// Issue 14 §3: the ПП 354 п. 117 threshold is per account — two monthly fees of the account's
// own average charge of the service — not the organization's one fee, and the case says which
// basis it used. With the organization's norm fee of 1 500 ₽ the old threshold (3 000 ₽) held
// back the first account (owes 3 000 ₽ of 1 000 ₽ a month) and let the second through (owes
// 5 000 ₽ of 3 000 ₽ a month).
both_backends!(limitation_threshold_is_per_account, |db: Db| async move {
    let (_, ids) = accounts(&db, "ул. Порога", &["200011", "200012"]).await;
    let mut lines = Vec::new();
    for p in ["2026-08", "2026-09", "2026-10"] {
        lines.push(charge(lines.len() + 2, "200011", p, "electricity", 100000));
        lines.push(charge(lines.len() + 2, "200012", p, "electricity", 300000));
    }
    import(&db, "per-account.csv", &lines).await;
    entries::cash_payment(
        &db,
        &CashPayment {
            account_id: ids[1],
            amount: 400000,
            paid_on: day("2026-11-05"),
            paid_period: None,
            receipt_no: "18".into(),
            payer: None,
            for_penalties: false,
        },
        day("2026-11-05"),
        &actor(),
    )
    .await
    .unwrap();
    let fees = NormFees {
        fees: [("electricity".to_string(), 150000)].into(),
    };
    dc::save_norm_fees(&db, &fees, "Приказ РЭК № 1", &actor())
        .await
        .unwrap();
    let today = day("2026-11-27");
    let electricity = |c: dc::DebtCase| {
        c.services
            .into_iter()
            .find(|s| s.service == "electricity")
            .unwrap()
    };
    let first = electricity(dc::case(&db, ids[0], today).await.unwrap());
    assert_eq!(
        (
            first.debt,
            first.monthly_fee,
            first.threshold,
            first.exceeded
        ),
        (300000, Some(100000), Some(200000), true)
    );
    assert_eq!(
        first.basis,
        Some(abonent_domain::debtor::FeeBasis::AccountAverage)
    );
    assert_eq!(
        first.basis_title,
        "средняя месячная плата по счёту за 3 мес."
    );
    let second = electricity(dc::case(&db, ids[1], today).await.unwrap());
    assert_eq!(
        (
            second.debt,
            second.monthly_fee,
            second.threshold,
            second.exceeded
        ),
        (500000, Some(300000), Some(600000), false)
    );
});

// Issue 14 §3: with a norm and a tariff in force in the register, the threshold counts in the
// fee at the norm (ПП 354 п. 117 «исходя из норматива потребления»), not the account's average;
// the case says how it was found. 50 m² × 1 кВт·ч/м² = 50 кВт·ч × 50 ₽ = 2 500 ₽ a month:
// a debt of 3 000 ₽ exceeds the average threshold (2 000 ₽) but not the norm's (5 000 ₽).
both_backends!(
    limitation_threshold_counts_in_the_fee_at_the_norm,
    |db: Db| async move {
        use abonent_domain::tariff::{Norm, NormBasis, Tariff, Unit};
        let (_, ids) = accounts(&db, "ул. Норматива", &["200013"]).await;
        let lines: Vec<_> = ["2026-08", "2026-09", "2026-10"]
            .iter()
            .enumerate()
            .map(|(i, p)| charge(i + 2, "200013", p, "electricity", 100000))
            .collect();
        import(&db, "norm.csv", &lines).await;
        let today = day("2026-11-27");
        let electricity = |c: dc::DebtCase| {
            c.services
                .into_iter()
                .find(|s| s.service == "electricity")
                .unwrap()
        };
        let before = electricity(dc::case(&db, ids[0], today).await.unwrap());
        assert_eq!((before.monthly_fee, before.exceeded), (Some(100000), true));
        let from = day("2026-01-01");
        let prefix = |_: usize| String::new();
        abonent_storage::tariffs::add_norms(
            &db,
            &[Norm {
                service: "electricity".into(),
                group: None,
                from,
                to: None,
                per: NormBasis::PerSquareMeter,
                value: 1_000_000,
                unit: Some(Unit::KilowattHour),
                basis: "Постановление РЭК № 5".into(),
            }],
            &prefix,
            &actor(),
        )
        .await
        .unwrap();
        // A norm without a tariff in force changes nothing.
        let norm_only = electricity(dc::case(&db, ids[0], today).await.unwrap());
        assert_eq!(norm_only.basis, before.basis);
        abonent_storage::tariffs::add_tariffs(
            &db,
            &[Tariff {
                service: "electricity".into(),
                group: None,
                zone: None,
                from,
                to: None,
                price: 500_000,
                unit: Unit::KilowattHour,
                basis: "Постановление РЭК № 6".into(),
            }],
            &prefix,
            &actor(),
        )
        .await
        .unwrap();
        let after = electricity(dc::case(&db, ids[0], today).await.unwrap());
        assert_eq!(
            (
                after.debt,
                after.monthly_fee,
                after.threshold,
                after.exceeded
            ),
            (300000, Some(250000), Some(500000), false)
        );
        assert_eq!(
            after.basis,
            Some(abonent_domain::debtor::FeeBasis::TariffNorm)
        );
        for part in ["плата по нормативу", "50 м²", "РЭК № 6"] {
            assert!(
                after.basis_title.contains(part),
                "{part}: {}",
                after.basis_title
            );
        }
    }
);

// Issue 14 §3: an ended case does not lock the account out of debtor work. Without a new debt
// no new case opens; a new debt opens case 2, and case 1 stays with its moves.
both_backends!(
    a_new_debt_after_an_ended_case_opens_a_new_case,
    |db: Db| async move {
        let (_, ids) = accounts(&db, "ул. Повторная", &["200021"]).await;
        let a = ids[0];
        let today = day("2026-11-27");
        import(
            &db,
            "first.csv",
            &[
                charge(2, "200021", "2026-08", "electricity", 100000),
                charge(3, "200021", "2026-09", "electricity", 100000),
            ],
        )
        .await;
        dc::move_stage(&db, a, &mv("informed", "2026-11-01"), today, &actor())
            .await
            .unwrap();
        entries::cash_payment(
            &db,
            &CashPayment {
                account_id: a,
                amount: 200000,
                paid_on: day("2026-11-05"),
                paid_period: None,
                receipt_no: "21".into(),
                payer: None,
                for_penalties: false,
            },
            day("2026-11-05"),
            &actor(),
        )
        .await
        .unwrap();
        let c = dc::move_stage(&db, a, &mv("repaid", "2026-11-06"), today, &actor())
            .await
            .unwrap();
        assert!(c.next.is_empty(), "nothing owed: no next step {:?}", c.next);
        let r =
            refused(dc::move_stage(&db, a, &mv("informed", "2026-11-10"), today, &actor()).await);
        assert!(
            r.iter()
                .any(|(f, m)| f == "stage" && m.contains("нового долга нет")),
            "{r:?}"
        );
        import(
            &db,
            "second.csv",
            &[charge(2, "200021", "2026-10", "electricity", 100000)],
        )
        .await;
        let c = dc::case(&db, a, today).await.unwrap();
        assert!(
            c.next.iter().any(|n| n.stage == Stage::Informed),
            "{:?}",
            c.next
        );
        let c = dc::move_stage(&db, a, &mv("informed", "2026-11-20"), today, &actor())
            .await
            .unwrap();
        assert_eq!((c.case_no, c.stage), (2, Some(Stage::Informed)));
        assert_eq!(c.earlier_cases.len(), 1);
        let first = &c.earlier_cases[0];
        assert_eq!(
            (
                first.case_no,
                first.opened_on.as_str(),
                first.ended,
                first.ended_on.as_str()
            ),
            (1, "2026-11-01", Some(Stage::Repaid), "2026-11-06")
        );
        let cases: Vec<i64> = c.moves.iter().map(|m| m.case_no).collect();
        assert_eq!(cases, [2, 1, 1]);
    }
);

// Issue 14 §3: after a cancelled court order the path goes to a claim (not another order),
// its filing, the decision and enforcement; the court's case number, the sums awarded, the
// writ and its submission to the bailiffs are kept per case with what was collected.
both_backends!(
    a_cancelled_order_goes_to_a_claim_and_the_court_record,
    |db: Db| async move {
        let (_, ids) = accounts(&db, "ул. Судебная", &["200031"]).await;
        let a = ids[0];
        let today = day("2026-11-27");
        import(
            &db,
            "court.csv",
            &[charge(2, "200031", "2026-08", "electricity", 100000)],
        )
        .await;
        let record = abonent_domain::debtor::CourtRecordForm {
            court_case_number: Some("2-77/2026".into()),
            decision_on: Some("2026-11-15".into()),
            awarded_debt: Some("1 000,00".into()),
            awarded_penalties: Some("50,00".into()),
            awarded_duty: Some("400,00".into()),
            writ_number: Some("ФС № 000777".into()),
            writ_issued_on: Some("2026-11-16".into()),
            fssp_submitted_on: Some("2026-11-17".into()),
            fssp_case_number: None,
        }
        .validate(today)
        .unwrap();
        // No case yet: nothing to record the court's decision on.
        assert_eq!(
            fields(dc::save_court_record(&db, a, &record, today, &actor()).await),
            ["stage"]
        );
        for (stage, on) in [
            ("court_order_prepared", "2026-11-01"),
            ("filed", "2026-11-02"),
        ] {
            dc::move_stage(&db, a, &mv(stage, on), today, &actor())
                .await
                .unwrap();
        }
        let cancel = MoveRequest {
            reason: Some("Возражения должника".into()),
            ..mv("order_cancelled", "2026-11-05")
        };
        let c = dc::move_stage(&db, a, &cancel, today, &actor())
            .await
            .unwrap();
        assert!(c.next.iter().any(|n| n.stage == Stage::ClaimPrepared));
        assert_eq!(
            fields(
                dc::move_stage(
                    &db,
                    a,
                    &mv("court_order_prepared", "2026-11-06"),
                    today,
                    &actor()
                )
                .await
            ),
            ["stage"]
        );
        for (stage, on) in [
            ("claim_prepared", "2026-11-06"),
            ("claim_filed", "2026-11-07"),
            ("judgment", "2026-11-15"),
        ] {
            dc::move_stage(&db, a, &mv(stage, on), today, &actor())
                .await
                .unwrap();
        }
        dc::save_court_record(&db, a, &record, today, &actor())
            .await
            .unwrap();
        let c = dc::record_collection(
            &db,
            a,
            (
                day("2026-11-25"),
                60000,
                Some("платёжное поручение ФССП № 5".into()),
            ),
            today,
            &actor(),
        )
        .await
        .unwrap();
        assert_eq!(c.stage, Some(Stage::Judgment));
        assert_eq!(
            c.court.record.court_case_number.as_deref(),
            Some("2-77/2026")
        );
        assert_eq!(c.court.record.awarded_total(), 145000);
        assert_eq!(c.court.record.fssp_submitted_on, Some(day("2026-11-17")));
        assert_eq!(
            (c.court.collected, c.court.outstanding),
            (60000, Some(85000))
        );
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) FROM history WHERE entity = 'debt_case' \
             AND action IN ('court_record', 'collection')"
            )
            .await,
            2
        );
    }
);

both_backends!(
    debtor_actions_due_after_the_notice_days,
    |db: Db| async move {
        let ids = debtors(&db).await;
        let (a, b) = (ids[0], ids[1]);
        let today = day("2026-11-25");
        for (id, delivered) in [(a, "2026-11-05"), (b, "2026-11-06")] {
            dc::move_stage(&db, id, &mv("informed", "2026-11-01"), today, &actor())
                .await
                .unwrap();
            let n = notice(&db, id, "2026-11-02").await;
            dc::move_stage(&db, id, &mv("notice_served", "2026-11-02"), today, &actor())
                .await
                .unwrap();
            let f = DeliveryForm {
                method: "post".into(),
                delivered_on: delivered.into(),
                note: None,
            };
            dc::record_delivery(&db, n.notice_id, &f, today, &actor())
                .await
                .unwrap();
        }
        debts::refresh(&db, None, today).await.unwrap();
        let due = |on: &str| {
            let db = db.clone();
            let on = day(on);
            async move {
                let f = debts::DebtorFilter {
                    notice_due: Some(true),
                    ..Default::default()
                };
                debts::debtors(&db, &f, PageReq::new(None, None), on)
                    .await
                    .unwrap()
            }
        };
        // Delivered on 05.11: the 20 days ran out on 25.11 (limitation may start that day).
        let p = due("2026-11-25").await;
        assert_eq!(p.total, 1);
        assert_eq!(p.items[0].account_id, a);
        assert_eq!(
            dc::case(&db, a, today)
                .await
                .unwrap()
                .limitation_from
                .as_deref(),
            Some("2026-11-25")
        );
        assert_eq!(due("2026-11-24").await.total, 0);
        assert_eq!(due("2026-11-26").await.total, 2);
        // Once limitation started the action is done: the account leaves the list.
        let lim = MoveRequest {
            service: Some("electricity".into()),
            ..mv("limitation", "2026-11-26")
        };
        dc::move_stage(&db, a, &lim, day("2026-11-26"), &actor())
            .await
            .unwrap();
        let p = due("2026-11-26").await;
        assert_eq!(
            p.items.iter().map(|r| r.account_id).collect::<Vec<_>>(),
            [b]
        );
        // Without the filter the list is the whole debtor list.
        let all = debts::debtors(&db, &Default::default(), PageReq::new(None, None), today)
            .await
            .unwrap();
        assert_eq!(all.total, 2);
    }
);
