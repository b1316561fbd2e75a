//! Which charges of an owner's part an application claims (regulations §11). The capable
//! family members registered and living with an owner answer jointly with the owner for the
//! utilities (коммунальные услуги) of the owner's part (ЖК ст. 31 ч. 3); the payment for the
//! upkeep of the premises (содержание) and the capital repair contributions stay with the
//! owner alone (Пленум ВС РФ № 22 от 27.06.2017, п. 29). So an owner with such family gets two
//! applications for one part: the owner alone for everything but utilities, and the owner with
//! the family, jointly, for utilities. A social tenant's family answers for everything (ЖК
//! ст. 69 ч. 2): one application, as before.
//!
//! Every amount of the account (a debt line, a penalty row) is split first between the parts
//! (owners' shares) and then, inside a part, between its applications by service kind — so
//! the applications always sum to the amount and no line is claimed twice.

use chrono::NaiveDate;

use super::liability::{is_adult, split_kopecks, Application, Basis, Holder};
use crate::registry::LinkRole;

/// The charges of a part an application claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charges {
    /// Everything charged for the part.
    All,
    /// Utilities only (service kind `utility`): the owner with the family, jointly.
    Utilities,
    /// Everything but utilities: upkeep, capital repair, other — the owner alone.
    Housing,
}

impl Charges {
    /// Whether a charge of a service of this kind (`utility` or not) belongs here.
    pub fn covers(self, utility: bool) -> bool {
        match self {
            Charges::All => true,
            Charges::Utilities => utility,
            Charges::Housing => !utility,
        }
    }

    /// What the application claims, in «задолженности по …».
    pub fn subject(self) -> &'static str {
        match self {
            Charges::All => "оплате жилого помещения и коммунальных услуг",
            Charges::Utilities => "оплате коммунальных услуг",
            Charges::Housing => {
                "оплате жилого помещения (содержание жилого помещения, взносы на капитальный \
                 ремонт и другие платежи, кроме коммунальных услуг)"
            }
        }
    }
}

/// The paragraph of the joint application with the family.
pub const FAMILY_TEXT: &str = "Дееспособные и ограниченные судом в дееспособности члены семьи \
    собственника, зарегистрированные и проживающие совместно с ним, несут солидарную с \
    собственником ответственность по обязательствам, вытекающим из пользования жилым \
    помещением (ЖК РФ ст. 31 ч. 3; Пленум ВС РФ № 22 от 27.06.2017, п. 29): настоящим \
    заявлением солидарно взыскивается долг по коммунальным услугам и пени на него. Плату за \
    содержание жилого помещения и взносы на капитальный ремонт вносит собственник — они \
    взыскиваются отдельным заявлением.";

/// The paragraph of the owner's own application beside the joint one.
pub const HOUSING_TEXT: &str = "Настоящим заявлением взыскиваются плата за содержание жилого \
    помещения, взносы на капитальный ремонт и другие платежи, кроме коммунальных услуг, и пени \
    на них: их вносит собственник (ЖК РФ ст. 30 ч. 3, ст. 158 ч. 1; Пленум ВС РФ № 22 от \
    27.06.2017, п. 29). Долг по коммунальным услугам взыскивается отдельным заявлением \
    солидарно с собственником и членами его семьи (ЖК РФ ст. 31 ч. 3).";

/// Splits every adult owner's application (a share, the whole, or joint owners) whose owner
/// has capable family members living in the premises into the owner's own one (everything
/// but utilities) and a joint one with the family (utilities). A family member who is an
/// owner, a representative or already a debtor of the part is not added again; a minor and a
/// person declared incapable are not liable (one limited by a court is); a minor owner's part
/// (answered for by the representatives) is left whole.
pub(super) fn with_family(
    apps: Vec<Application>,
    holders: &[Holder],
    on: NaiveDate,
) -> Vec<Application> {
    let mut out = Vec::with_capacity(apps.len());
    for app in apps {
        let splits = app.minor.is_none()
            && matches!(app.basis, Basis::OwnerShare | Basis::JointOwners)
            && app.charges == Charges::All;
        let mut family: Vec<i64> = Vec::new();
        if splits {
            for h in holders {
                let theirs = h.family_of.is_some_and(|o| app.debtors.contains(&o));
                let other_role = holders.iter().any(|x| {
                    x.person_id == h.person_id
                        && matches!(x.role, LinkRole::Owner | LinkRole::Representative)
                });
                if theirs
                    && h.role == LinkRole::Registered
                    && is_adult(h, on)
                    && h.capacity.liable_as_owner_family()
                    && !other_role
                    && !app.debtors.contains(&h.person_id)
                    && !family.contains(&h.person_id)
                {
                    family.push(h.person_id);
                }
            }
        }
        if family.is_empty() {
            out.push(app);
            continue;
        }
        let mut joint = app.clone();
        joint.debtors.extend(family);
        joint.basis = Basis::OwnerFamily;
        joint.charges = Charges::Utilities;
        out.push(Application {
            charges: Charges::Housing,
            ..app
        });
        out.push(joint);
    }
    out
}

/// Each application's part of one amount of the account: first split between the parts
/// (groups) by their shares, exactly; then, inside a group of two applications, between the
/// owner's own one and the joint one by `utility` and `housing` — the weights of utilities and
/// of the rest in this amount (a debt line of a utility: `(1, 0)`; a penalty row: the period's
/// utility and other debt). With both weights zero the group's amount goes by `fallback`
/// (utility, housing). The parts always sum to `amount`.
pub fn split_by_charges(
    apps: &[Application],
    amount: i64,
    (utility, housing): (i64, i64),
    fallback: (i64, i64),
) -> Vec<i64> {
    let mut out = vec![0i64; apps.len()];
    let mut groups: Vec<usize> = Vec::new();
    for a in apps {
        if !groups.contains(&a.group) {
            groups.push(a.group);
        }
    }
    let parts: Vec<(i64, i64)> = groups
        .iter()
        .map(|g| {
            apps.iter()
                .find(|a| a.group == *g)
                .map_or((0, 1), |a| a.part)
        })
        .collect();
    let by_group = split_kopecks(amount, &parts);
    let (u, h) = if utility.max(0) + housing.max(0) > 0 {
        (utility.max(0), housing.max(0))
    } else {
        (fallback.0.max(0), fallback.1.max(0))
    };
    for (g, sum) in groups.iter().zip(by_group) {
        let members: Vec<usize> = (0..apps.len()).filter(|i| apps[*i].group == *g).collect();
        let weights: Vec<(i64, i64)> = members
            .iter()
            .map(|i| match apps[*i].charges {
                Charges::All => (1, 1),
                Charges::Utilities => (u, 1),
                Charges::Housing => (h, 1),
            })
            .collect();
        // Neither kind has weight (both zero): the owner's own application takes it.
        let weights = if weights.iter().all(|w| w.0 == 0) {
            members
                .iter()
                .map(|i| (i64::from(apps[*i].charges != Charges::Utilities), 1))
                .collect()
        } else {
            weights
        };
        for (i, k) in members.iter().zip(split_kopecks(sum, &weights)) {
            out[*i] = k;
        }
    }
    out
}

/// How much of the penalties already paid each application deducts: `paid` (at most the sum
/// of `penalties`) split in proportion to each application's penalty, so no application
/// deducts more than its own penalty and the deductions sum to what was paid.
pub fn deduct_paid(penalties: &[i64], paid: i64) -> Vec<i64> {
    let total: i64 = penalties.iter().map(|p| (*p).max(0)).sum();
    if penalties.is_empty() || total == 0 || paid <= 0 {
        return vec![0; penalties.len()];
    }
    let weights: Vec<(i64, i64)> = penalties.iter().map(|p| ((*p).max(0), 1)).collect();
    split_kopecks(paid.min(total), &weights)
}

#[cfg(test)]
#[path = "charges_tests.rs"]
mod tests;
