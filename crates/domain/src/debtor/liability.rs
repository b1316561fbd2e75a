//! Who answers in court for an account's debt, and for which part (regulations §11):
//! owners in proportion to their shares (ГК ст. 249, ЖК ст. 158 ч. 1) — one application each;
//! owners in common joint property (no shares recorded) jointly (ГК ст. 253, 322); a social
//! tenant jointly with the capable members of the family (ЖК ст. 69 ч. 2); a minor owner's
//! part is claimed from the parents as legal representatives (Пленум ВС РФ № 22, п. 28);
//! the capable family members living with an owner answer jointly with the owner for the
//! utilities of the owner's part, the rest stays with the owner (ЖК ст. 31 ч. 3; Пленум ВС РФ
//! № 22, п. 29) — see [`charges`](super::charges).

use chrono::NaiveDate;

use super::charges::{self, Charges};
use crate::registry::{LegalCapacity, LinkRole, Share};

/// A person linked to the account, as liability needs them.
#[derive(Debug, Clone, PartialEq)]
pub struct Holder {
    pub person_id: i64,
    pub full_name: String,
    pub role: LinkRole,
    pub share: Option<Share>,
    pub birth_date: Option<NaiveDate>,
    /// For a family member registered and living in the premises: the owner whose family
    /// they are (ЖК ст. 31 ч. 3); none for everyone else.
    pub family_of: Option<i64>,
    /// As a court decided; presumed capable.
    pub capacity: LegalCapacity,
}

/// One application to court: who is named, and which part of the account's debt it claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    /// Person ids of the debtors; more than one — jointly («солидарно»).
    pub debtors: Vec<i64>,
    /// The minor owner whose part the debtors answer for as legal representatives.
    pub minor: Option<i64>,
    /// The part of the account's debt: `num/den`, reduced; `1/1` for the whole.
    pub part: (i64, i64),
    /// Why the debtors answer, for the application's text.
    pub basis: Basis,
    /// Which charges of the part it claims: all, or split between the owner alone and the
    /// owner with the family.
    pub charges: Charges,
    /// Applications of one part (one owner's share) have the same group.
    pub group: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// A share of shared ownership (or the whole, for a sole owner).
    OwnerShare,
    /// Common joint property: several owners with no shares.
    JointOwners,
    /// A social tenant and the capable members of the family.
    TenantFamily,
    /// An owner (or joint owners) and the capable family members living with them, for the
    /// utilities of the owner's part (ЖК ст. 31 ч. 3).
    OwnerFamily,
}

/// Why no application can be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiabilityRefusal {
    /// No owner and no tenant on the account.
    NoHolder,
    /// Some owners have a share and some do not: the parts cannot be told.
    SharesIncomplete { without: Vec<String> },
    /// A minor owner with no legal representative on the account.
    MinorWithoutRepresentative { minor: String },
}

impl LiabilityRefusal {
    pub fn message(&self, account: &str) -> String {
        match self {
            LiabilityRefusal::NoHolder => format!(
                "У счёта № {account} нет собственника или нанимателя: должник неизвестен. \
                 Добавьте собственника в карточке счёта."
            ),
            LiabilityRefusal::SharesIncomplete { without } => format!(
                "У собственников счёта № {account} доли указаны не у всех (нет доли: {}): \
                 долг делится по долям (ГК РФ ст. 249). Укажите доли всех собственников, а \
                 при совместной собственности — ни у кого.",
                without.join(", ")
            ),
            LiabilityRefusal::MinorWithoutRepresentative { minor } => format!(
                "Собственник {minor} (счёт № {account}) несовершеннолетний: его долю взыскивают \
                 с родителей как законных представителей (Пленум ВС РФ № 22, п. 28). Добавьте \
                 на счёт родителя с ролью «Представитель»."
            ),
        }
    }
}

/// Adults from this age; a court's limit of capacity is the holder's `capacity`.
const MAJORITY_YEARS: u32 = 18;

fn is_minor(h: &Holder, on: NaiveDate) -> bool {
    h.birth_date
        .is_some_and(|b| on.years_since(b).unwrap_or(0) < MAJORITY_YEARS)
}

pub(super) fn is_adult(h: &Holder, on: NaiveDate) -> bool {
    h.birth_date
        .is_some_and(|b| on.years_since(b).unwrap_or(0) >= MAJORITY_YEARS)
}

pub(super) fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a.abs().max(1)
    } else {
        gcd(b, a % b)
    }
}

fn reduced(num: i64, den: i64) -> (i64, i64) {
    let g = gcd(num, den);
    (num / g, den / g)
}

impl Application {
    /// The part as printed, `1/2`; none for the whole.
    pub fn share_text(&self) -> Option<String> {
        (self.part.0 != self.part.1).then(|| format!("{}/{}", self.part.0, self.part.1))
    }

    /// The paragraph saying why these debtors answer for this part; none for a sole owner.
    pub fn liability_text(&self, minor: Option<&str>) -> Option<String> {
        let mut out = Vec::new();
        match self.basis {
            Basis::OwnerShare => {
                if let Some(share) = self.share_text() {
                    out.push(format!(
                        "Помещение находится в общей долевой собственности; каждый собственник \
                         участвует в расходах соразмерно своей доле (ГК РФ ст. 249; ЖК РФ \
                         ст. 158 ч. 1). Настоящим заявлением взыскивается {share} долга и пени \
                         по лицевому счёту; по другим долям поданы отдельные заявления."
                    ));
                }
            }
            Basis::JointOwners => out.push(
                "Помещение находится в общей совместной собственности (доли не определены), \
                 поэтому должники отвечают перед взыскателем солидарно (ГК РФ ст. 253, 322)."
                    .to_string(),
            ),
            Basis::TenantFamily if self.debtors.len() > 1 => out.push(
                "Дееспособные члены семьи нанимателя по договору социального найма несут \
                 солидарную с нанимателем ответственность по обязательствам из договора \
                 (ЖК РФ ст. 69 ч. 2)."
                    .to_string(),
            ),
            Basis::TenantFamily => {}
            Basis::OwnerFamily => {
                if let Some(share) = self.share_text() {
                    out.push(format!(
                        "Помещение находится в общей долевой собственности; собственник \
                         участвует в расходах соразмерно своей доле (ГК РФ ст. 249; ЖК РФ \
                         ст. 158 ч. 1). Настоящим заявлением взыскивается {share} долга по \
                         коммунальным услугам и пени на него."
                    ));
                }
                out.push(charges::FAMILY_TEXT.to_string());
            }
        }
        if self.charges == Charges::Housing {
            out.push(charges::HOUSING_TEXT.to_string());
        }
        if let Some(name) = minor {
            out.push(format!(
                "Собственник — несовершеннолетний {name}: обязанность по оплате за него несут \
                 родители как законные представители (СК РФ ст. 61, 64; Пленум ВС РФ № 22 от \
                 27.06.2017, п. 28)."
            ));
        }
        (!out.is_empty()).then(|| out.join(" "))
    }
}

/// The applications for the account's debt on `on`, owners first (in the order given), each
/// person once. Owners' shares are taken relative to their sum, so an account covering part
/// of the premises (its own share) is divided among its owners whole.
pub fn applications(
    holders: &[Holder],
    on: NaiveDate,
) -> Result<Vec<Application>, LiabilityRefusal> {
    let unique: Vec<&Holder> = holders.iter().collect();
    let mut owners: Vec<&Holder> = Vec::new();
    for h in unique.iter().filter(|h| h.role == LinkRole::Owner) {
        if !owners.iter().any(|o| o.person_id == h.person_id) {
            owners.push(h);
        }
    }
    let mut representatives: Vec<i64> = Vec::new();
    for h in unique.iter().filter(|h| h.role == LinkRole::Representative) {
        if !representatives.contains(&h.person_id) {
            representatives.push(h.person_id);
        }
    }
    if owners.is_empty() {
        let Some(tenant) = unique.iter().find(|h| h.role == LinkRole::Tenant) else {
            return Err(LiabilityRefusal::NoHolder);
        };
        let mut debtors = vec![tenant.person_id];
        for h in unique.iter().filter(|h| h.role == LinkRole::Registered) {
            if is_adult(h, on)
                && h.capacity.liable_as_tenant_family()
                && !debtors.contains(&h.person_id)
            {
                debtors.push(h.person_id);
            }
        }
        return Ok(vec![Application {
            debtors,
            minor: None,
            part: (1, 1),
            basis: Basis::TenantFamily,
            charges: Charges::All,
            group: 0,
        }]);
    }
    let with_share = owners.iter().filter(|o| o.share.is_some()).count();
    if owners.len() > 1 && with_share == 0 {
        // Common joint property: one application against all, jointly. A minor among them
        // is answered for by the representatives beside the adults.
        let mut debtors: Vec<i64> = owners
            .iter()
            .filter(|o| !is_minor(o, on))
            .map(|o| o.person_id)
            .collect();
        if let Some(m) = owners.iter().find(|o| is_minor(o, on)) {
            if representatives.is_empty() {
                return Err(LiabilityRefusal::MinorWithoutRepresentative {
                    minor: m.full_name.clone(),
                });
            }
            for r in &representatives {
                if !debtors.contains(r) {
                    debtors.push(*r);
                }
            }
        }
        let joint = Application {
            debtors,
            minor: None,
            part: (1, 1),
            basis: Basis::JointOwners,
            charges: Charges::All,
            group: 0,
        };
        return Ok(charges::with_family(vec![joint], holders, on));
    }
    if owners.len() > 1 && with_share < owners.len() {
        return Err(LiabilityRefusal::SharesIncomplete {
            without: owners
                .iter()
                .filter(|o| o.share.is_none())
                .map(|o| o.full_name.clone())
                .collect(),
        });
    }
    // Shares over a common denominator: Σ num_i·(L/den_i).
    let share = |o: &Holder| o.share.unwrap_or(Share::WHOLE);
    let lcm = owners.iter().fold(1i64, |l, o| {
        let d = i64::from(share(o).den);
        l / gcd(l, d) * d
    });
    let weight = |o: &Holder| i64::from(share(o).num) * (lcm / i64::from(share(o).den));
    let total: i64 = owners.iter().map(|o| weight(o)).sum();
    let mut out = Vec::new();
    for o in &owners {
        let part = reduced(weight(o), total);
        if is_minor(o, on) {
            if representatives.is_empty() {
                return Err(LiabilityRefusal::MinorWithoutRepresentative {
                    minor: o.full_name.clone(),
                });
            }
            out.push(Application {
                debtors: representatives.clone(),
                minor: Some(o.person_id),
                part,
                basis: Basis::OwnerShare,
                charges: Charges::All,
                group: out.len(),
            });
        } else {
            out.push(Application {
                debtors: vec![o.person_id],
                minor: None,
                part,
                basis: Basis::OwnerShare,
                charges: Charges::All,
                group: out.len(),
            });
        }
    }
    Ok(charges::with_family(out, holders, on))
}

/// Splits `total` kopecks into parts proportional to `parts` (`num/den` each), exactly: the
/// parts always sum to `total`. Rounding rule (largest remainder): each part first gets its
/// exact amount rounded towards zero; the kopecks left over go one each to the parts with the
/// largest fractional remainders, the earlier part first on a tie. A negative total is split
/// like its absolute value. Parts with a zero or negative weight get nothing; with no positive
/// weight at all the whole goes to the first part.
pub fn split_kopecks(total: i64, parts: &[(i64, i64)]) -> Vec<i64> {
    if parts.is_empty() {
        return Vec::new();
    }
    let sign = if total < 0 { -1 } else { 1 };
    let amount = i128::from(total).abs();
    // Weights over one common denominator, in i128 so no product overflows.
    let lcm = parts.iter().fold(1i128, |l, (_, d)| {
        let d = i128::from((*d).max(1));
        l / gcd128(l, d) * d
    });
    let weights: Vec<i128> = parts
        .iter()
        .map(|(n, d)| i128::from((*n).max(0)) * (lcm / i128::from((*d).max(1))))
        .collect();
    let sum: i128 = weights.iter().sum();
    let mut out = vec![0i128; parts.len()];
    if sum == 0 {
        out[0] = amount;
    } else {
        let mut rems: Vec<(i128, usize)> = Vec::with_capacity(parts.len());
        for (i, w) in weights.iter().enumerate() {
            out[i] = amount * w / sum;
            rems.push((amount * w % sum, i));
        }
        let left = amount - out.iter().sum::<i128>();
        // Largest remainder first; on a tie the earlier part (stable sort by index).
        rems.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, i) in rems.iter().take(left as usize) {
            out[*i] += 1;
        }
    }
    out.into_iter().map(|k| sign * k as i64).collect()
}

fn gcd128(a: i128, b: i128) -> i128 {
    if b == 0 {
        a.abs().max(1)
    } else {
        gcd128(b, a % b)
    }
}

#[cfg(test)]
#[path = "liability_tests.rs"]
mod tests;
