//! A believable, deterministic demo company: buildings of Екатеринбург on real streets, their
//! flats and shops, accounts, the people tied to them and their benefits.
//!
//! Pure generation: no I/O, no clock. The same [`DemoConfig`] always gives the same
//! [`DemoCompany`]. Records refer to each other by index into the vectors of the company
//! (or of the chunk, see [`generate_in_chunks`]); storage assigns the ids, so the `*_id`
//! fields inside the domain data are left at `0`.
//!
//! Conventions: every premises has one account, or two accounts with a share of `1/2` each
//! (about 5 % of flats). A link's `share` is the owner's share of the *premises*, so the
//! owner shares of a premises add up to one. Account numbers are six digits from `100001`,
//! issued building by building; phones are `+79…` and unique across the company.

mod benefits;
mod buildings;
pub mod ledger;
mod load;
mod names;
mod people;
pub mod register;
mod streets;

use abonent_domain::registry::Share;
use abonent_domain::registry::{AccountData, BuildingData, LinkRole, PersonData, PremisesData};
use chrono::NaiveDate;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

pub use load::{load, load_in_chunks, DemoStats, ACTOR_NAME};
pub use streets::{CITY, REGION};

/// The last day the demo data knows about: no date in the data is later, except the end of
/// a benefit.
pub const AS_OF: NaiveDate = match NaiveDate::from_ymd_opt(2026, 10, 31) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// How big the company is and which one of its possible versions to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoConfig {
    /// The number of accounts wanted; the result has at least this many and at most a few
    /// more (a building is never cut in half).
    pub accounts: usize,
    pub seed: u64,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self {
            accounts: 1_000,
            seed: 1,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemoCompany {
    pub buildings: Vec<BuildingData>,
    pub premises: Vec<DemoPremises>,
    pub accounts: Vec<DemoAccount>,
    pub persons: Vec<PersonData>,
    pub links: Vec<DemoLink>,
    pub benefits: Vec<DemoBenefit>,
}

/// A premises of `buildings[building]`; `data.building_id` is `0`, filled by storage.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoPremises {
    pub building: usize,
    pub data: PremisesData,
}

/// An account of `premises[premises]`; `data.premises_id` is `0`, filled by storage.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoAccount {
    pub premises: usize,
    pub data: AccountData,
}

/// `persons[person]` is tied to `accounts[account]`; `share` only for owners.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoLink {
    pub account: usize,
    pub person: usize,
    pub role: LinkRole,
    pub share: Option<Share>,
    pub from_date: Option<NaiveDate>,
}

/// A benefit of `persons[person]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoBenefit {
    pub person: usize,
    pub category: String,
    pub document: Option<String>,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
}

impl DemoCompany {
    /// Append a chunk, shifting its indexes: `generate` equals all chunks appended in order.
    pub fn append(&mut self, chunk: DemoCompany) {
        let (b, p, a, h) = (
            self.buildings.len(),
            self.premises.len(),
            self.accounts.len(),
            self.persons.len(),
        );
        self.buildings.extend(chunk.buildings);
        self.premises
            .extend(chunk.premises.into_iter().map(|mut x| {
                x.building += b;
                x
            }));
        self.accounts
            .extend(chunk.accounts.into_iter().map(|mut x| {
                x.premises += p;
                x
            }));
        self.persons.extend(chunk.persons);
        self.links.extend(chunk.links.into_iter().map(|mut x| {
            x.account += a;
            x.person += h;
            x
        }));
        self.benefits
            .extend(chunk.benefits.into_iter().map(|mut x| {
                x.person += h;
                x
            }));
    }
}

/// The whole company at once.
pub fn generate(cfg: &DemoConfig) -> DemoCompany {
    let mut all = DemoCompany::default();
    generate_in_chunks(cfg, usize::MAX, |chunk| all.append(chunk));
    all
}

/// The same company as [`generate`], handed over `buildings_per_chunk` buildings at a time
/// (the last chunk may be smaller). Indexes inside a chunk are local to it: nothing in a
/// chunk refers to another chunk.
pub fn generate_in_chunks(
    cfg: &DemoConfig,
    buildings_per_chunk: usize,
    f: impl FnMut(DemoCompany),
) {
    chunks(cfg, buildings_per_chunk).for_each(f);
}

/// [`generate_in_chunks`] as an iterator, for callers that must await between chunks.
pub fn chunks(cfg: &DemoConfig, buildings_per_chunk: usize) -> Chunks {
    Chunks {
        per: buildings_per_chunk.max(1),
        g: Generator::new(cfg),
    }
}

/// The chunks of a company, see [`chunks`].
pub struct Chunks {
    per: usize,
    g: Generator,
}

impl Iterator for Chunks {
    type Item = DemoCompany;

    fn next(&mut self) -> Option<DemoCompany> {
        let mut chunk = DemoCompany::default();
        while self.g.accounts_left > 0 && chunk.buildings.len() < self.per {
            self.g.building(&mut chunk);
        }
        (!chunk.buildings.is_empty()).then_some(chunk)
    }
}

/// All the state carried from one building to the next.
pub(crate) struct Generator {
    pub rng: SmallRng,
    pub accounts_left: usize,
    pub next_account: u64,
    pub streets: buildings::StreetPlan,
    pub surnames: Vec<&'static str>,
    pub male: Vec<(&'static str, names::Era)>,
    pub female: Vec<(&'static str, names::Era)>,
    phone_seq: u64,
    phone_shift: u64,
}

const PHONE_SPACE: u64 = 1_000_000_000;

impl Generator {
    fn new(cfg: &DemoConfig) -> Self {
        let mut rng = SmallRng::seed_from_u64(cfg.seed);
        let streets = buildings::StreetPlan::new(&mut rng);
        let phone_shift = rng.gen_range(0..PHONE_SPACE);
        Self {
            rng,
            accounts_left: cfg.accounts,
            next_account: 100_001,
            streets,
            surnames: names::surnames(),
            male: names::first_names(false),
            female: names::first_names(true),
            phone_seq: 0,
            phone_shift,
        }
    }

    /// A mobile phone never issued before in this company: `+79` and nine digits walked
    /// through by a bijection of the sequence number, so they look random yet never repeat.
    pub fn phone(&mut self) -> String {
        const STEP: u64 = 387_420_489; // 3^18: coprime with 10^9
        let n = (self.phone_seq % PHONE_SPACE * STEP + self.phone_shift) % PHONE_SPACE;
        self.phone_seq += 1;
        format!("+79{n:09}")
    }

    pub fn account_number(&mut self) -> String {
        let n = self.next_account;
        self.next_account += 1;
        self.accounts_left = self.accounts_left.saturating_sub(1);
        n.to_string()
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p)
    }

    /// A day between `from` and `to`, both included (`from` when they are reversed).
    pub fn date_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let days = (to - from).num_days();
        if days <= 0 {
            return from;
        }
        from + chrono::Days::new(self.rng.gen_range(0..=days) as u64)
    }
}

/// `date(2024, 3, 1)`; panics on an impossible date, which is a bug in this crate.
pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}
