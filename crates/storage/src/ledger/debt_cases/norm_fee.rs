//! The monthly fee at the norm per service for one account's threshold (ПП 354 п. 117): the
//! register's norm and tariff in force on the day for the building's tariff group, over the
//! persons registered in the premises (or its owners), or the account's part of its area.

use abonent_domain::registry::LinkRole;
use abonent_domain::tariff::{fee_at_norm, Norm, NormFee, Occupancy, Tariff};
use chrono::NaiveDate;

use crate::registry::{account::Account, link, premises};
use crate::{tariffs, Db, Result};

/// What the fees of one account are computed from, read once for all its services.
pub(super) struct AtNorm {
    norms: Vec<Norm>,
    tariffs: Vec<Tariff>,
    group: Option<String>,
    day: NaiveDate,
    at: Occupancy,
}

impl AtNorm {
    pub(super) async fn load(db: &Db, a: &Account, day: NaiveDate) -> Result<AtNorm> {
        let norms: Vec<Norm> = tariffs::norms(db)
            .await?
            .into_iter()
            .map(|r| r.norm)
            .collect();
        if norms.is_empty() {
            // No register yet: nothing more to read.
            return Ok(AtNorm {
                norms,
                tariffs: Vec::new(),
                group: None,
                day,
                at: Occupancy {
                    registered: 0,
                    owners: 0,
                    area: None,
                },
            });
        }
        let p = premises::get(db, a.data.premises_id).await?;
        let registered = link::registered_in_premises(db, p.id, day).await?.len() as u32;
        let owners = link::links_of_account(db, a.id)
            .await?
            .iter()
            .filter(|l| l.link.data.role == LinkRole::Owner && l.link.closed_at.is_none())
            .count() as u32;
        let share = a.data.share;
        let area = p.data.area_centi.map(|s| {
            (s * i64::from(share.num) + i64::from(share.den) / 2) / i64::from(share.den.max(1))
        });
        Ok(AtNorm {
            norms,
            tariffs: tariffs::tariffs(db)
                .await?
                .into_iter()
                .map(|r| r.tariff)
                .collect(),
            group: tariffs::group_of(db, p.data.building_id).await?,
            day,
            at: Occupancy {
                registered,
                owners,
                area,
            },
        })
    }

    pub(super) fn fee(&self, service: &str) -> Option<NormFee> {
        fee_at_norm(
            &self.norms,
            &self.tariffs,
            service,
            self.group.as_deref(),
            self.day,
            self.at,
        )
    }
}
