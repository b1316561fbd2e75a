//! Buildings along the streets and their premises: flats in stacks over entrances and
//! floors, shops on the ground floor of bigger houses on main streets.

use abonent_domain::registry::{BuildingData, PremisesData};
use chrono::{Datelike, NaiveDate};
use rand::seq::SliceRandom;
use rand::Rng;

use crate::streets::{streets, Street, CITY, REGION};
use crate::{date, DemoCompany, DemoPremises, Generator, AS_OF};

/// Which street comes next and which house number it gives.
pub(crate) struct StreetPlan {
    streets: Vec<Street>,
    order: Vec<usize>,
    pos: usize,
    /// The next free house number on each street, kept over passes through the list.
    next_number: Vec<u32>,
    cur: Option<Cursor>,
}

struct Cursor {
    street: usize,
    left: u32,
    number: u32,
    letters: usize,
    korpus: u32,
}

struct Address {
    street: &'static str,
    main: bool,
    house: String,
    korpus: Option<String>,
}

impl StreetPlan {
    pub fn new(rng: &mut impl Rng) -> Self {
        let streets = streets();
        let mut order: Vec<usize> = (0..streets.len()).collect();
        order.shuffle(rng);
        Self {
            next_number: vec![1; streets.len()],
            streets,
            order,
            pos: 0,
            cur: None,
        }
    }

    fn next(&mut self, rng: &mut impl Rng) -> Address {
        if self.cur.as_ref().is_none_or(|c| c.left == 0) {
            if self.pos == self.order.len() {
                self.order.shuffle(rng);
                self.pos = 0;
            }
            let street = self.order[self.pos];
            self.pos += 1;
            let left = if self.streets[street].main {
                rng.gen_range(15..=40)
            } else {
                rng.gen_range(3..=15)
            };
            self.cur = Some(Cursor {
                street,
                left,
                number: 0,
                letters: 0,
                korpus: 0,
            });
        }
        let c = self.cur.as_mut().expect("cursor set above");
        c.left -= 1;
        let (house, korpus) = if c.korpus > 0 && c.korpus < 4 && rng.gen_bool(0.5) {
            c.korpus += 1;
            (c.number.to_string(), Some(c.korpus.to_string()))
        } else if c.number > 0 && c.letters < 3 && rng.gen_bool(0.08) {
            c.letters += 1;
            c.korpus = 0;
            let letter = ["а", "б", "в"][c.letters - 1];
            (format!("{}{letter}", c.number), None)
        } else {
            let next = &mut self.next_number[c.street];
            c.number = *next;
            *next += rng.gen_range(1..=2);
            c.letters = 0;
            c.korpus = u32::from(rng.gen_bool(0.04));
            (
                c.number.to_string(),
                (c.korpus > 0).then(|| "1".to_string()),
            )
        };
        let st = self.streets[c.street];
        Address {
            street: st.name,
            main: st.main,
            house,
            korpus,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// 2–4 floors: post-war houses and new low-rise.
    Low,
    /// 4–5 floors, the Khrushchev series.
    Five,
    /// 9–12 floor panel houses.
    Panel,
    /// 14–17 floors.
    High,
    /// 18–25 floor new towers.
    Tower,
}

/// What the people of a premises need to know about it.
pub(crate) struct Place {
    pub residential: bool,
    pub year_built: i32,
    pub managed_since: NaiveDate,
}

fn pick<T: Copy>(rng: &mut impl Rng, weighted: &[(T, u32)]) -> T {
    let total: u32 = weighted.iter().map(|w| w.1).sum();
    let mut x = rng.gen_range(0..total);
    for &(v, w) in weighted {
        if x < w {
            return v;
        }
        x -= w;
    }
    weighted[weighted.len() - 1].0
}

impl Generator {
    /// One building with its premises, accounts and people, appended to `out`.
    pub(crate) fn building(&mut self, out: &mut DemoCompany) {
        let addr = self.streets.next(&mut self.rng);
        let r = &mut self.rng;
        let kind = if addr.main {
            pick(
                r,
                &[
                    (Kind::Low, 40),
                    (Kind::Five, 30),
                    (Kind::Panel, 20),
                    (Kind::High, 6),
                    (Kind::Tower, 4),
                ],
            )
        } else {
            pick(
                r,
                &[
                    (Kind::Low, 62),
                    (Kind::Five, 26),
                    (Kind::Panel, 9),
                    (Kind::High, 2),
                    (Kind::Tower, 1),
                ],
            )
        };
        let (mut floors, mut entrances, mut per_floor, year): (usize, usize, usize, i32) =
            match kind {
                Kind::Low => (
                    pick(r, &[(2, 45), (3, 40), (4, 15)]),
                    pick(r, &[(1, 45), (2, 40), (3, 15)]),
                    r.gen_range(2..=4),
                    if r.gen_bool(0.7) {
                        r.gen_range(1950..=1962)
                    } else {
                        r.gen_range(1995..=2018)
                    },
                ),
                Kind::Five => {
                    let floors = if r.gen_bool(0.15) { 4 } else { 5 };
                    let entrances = pick(r, &[(1, 20), (2, 30), (3, 25), (4, 20), (5, 3), (6, 2)]);
                    let year = if floors == 4 {
                        r.gen_range(1952..=1962)
                    } else {
                        r.gen_range(1958..=1978)
                    };
                    (floors, entrances, r.gen_range(3..=4), year)
                }
                Kind::Panel => (
                    pick(r, &[(9, 70), (10, 15), (12, 15)]),
                    pick(
                        r,
                        &[
                            (1, 20),
                            (2, 22),
                            (3, 18),
                            (4, 14),
                            (5, 8),
                            (6, 8),
                            (7, 4),
                            (8, 3),
                            (9, 2),
                            (10, 1),
                        ],
                    ),
                    4,
                    r.gen_range(1966..=1995),
                ),
                Kind::High => (
                    r.gen_range(14..=17),
                    r.gen_range(1..=3),
                    r.gen_range(4..=6),
                    r.gen_range(1978..=2012),
                ),
                Kind::Tower => (
                    r.gen_range(18..=25),
                    pick(r, &[(1, 70), (2, 30)]),
                    r.gen_range(6..=9),
                    r.gen_range(2008..=2024),
                ),
            };
        let shops = floors >= 5 && r.gen_bool(if addr.main { 0.75 } else { 0.3 });
        let first_floor = if shops { 2 } else { 1 };
        // The last building shrinks to land near the wanted number of accounts.
        let want = self.accounts_left + self.accounts_left / 5 + 3;
        while (floors - first_floor + 1) * entrances * per_floor > want {
            if entrances > 1 {
                entrances -= 1;
            } else if floors > 2 {
                floors -= 1;
            } else if per_floor > 1 {
                per_floor -= 1;
            } else {
                break;
            }
        }
        let first_floor = first_floor.min(floors);
        let managed_since = self.managed_since(year);
        let b = out.buildings.len();
        out.buildings.push(BuildingData {
            region: REGION.to_string(),
            city: CITY.to_string(),
            street: addr.street.to_string(),
            house: addr.house,
            korpus: addr.korpus,
            stroenie: None,
            fias_id: None,
            year_built: Some(year),
            floors: Some(floors as i32),
            entrances: Some(entrances as i32),
            managed_since: Some(managed_since),
        });
        let place = |residential| Place {
            residential,
            year_built: year,
            managed_since,
        };
        let stacks: Vec<(i32, i64)> = (0..per_floor).map(|_| self.stack(kind)).collect();
        let mut number = 0;
        for entrance in 1..=entrances {
            for floor in first_floor..=floors {
                for &(rooms, area) in &stacks {
                    number += 1;
                    let area = if self.chance(0.2) {
                        (area + self.rng.gen_range(-5..=5) * 10).clamp(1800, 14000)
                    } else {
                        area
                    };
                    let p = push(
                        out,
                        b,
                        number.to_string(),
                        true,
                        area,
                        Some(rooms),
                        Some(entrance),
                        floor,
                    );
                    self.accounts_for(out, p, &place(true));
                }
            }
        }
        if shops && self.accounts_left > 0 {
            let count = 2 * entrances + self.rng.gen_range(0..=entrances);
            for n in 1..=count {
                let area = self.rng.gen_range(350..=2500) * 10;
                let p = push(out, b, format!("{n}Н"), false, area, None, None, 1);
                self.accounts_for(out, p, &place(false));
            }
        }
    }

    /// A stack of flats one above the other: rooms and area in hundredths of m².
    fn stack(&mut self, kind: Kind) -> (i32, i64) {
        let r = &mut self.rng;
        let rooms = match kind {
            Kind::Low => pick(r, &[(1, 15), (2, 40), (3, 35), (4, 10)]),
            Kind::Tower => pick(r, &[(1, 45), (2, 35), (3, 15), (4, 5)]),
            _ => pick(r, &[(1, 30), (2, 40), (3, 25), (4, 5)]),
        };
        let (lo, hi) = match (kind, rooms) {
            (Kind::Five, 1) => (29, 33),
            (Kind::Five, 2) => (41, 46),
            (Kind::Five, 3) => (55, 60),
            (Kind::Five, _) => (61, 64),
            (Kind::Tower, 1) if r.gen_bool(0.3) => (18, 28),
            (Kind::Low, 4) => (90, 140),
            (_, 1) => (30, 42),
            (_, 2) => (40, 62),
            (_, 3) => (56, 88),
            _ => (72, 120),
        };
        (rooms, r.gen_range(lo * 10..=hi * 10) * 10)
    }

    /// Taken into management when the housing code allowed it (2007 on), or the year after
    /// the house was built; always on the first day of a month.
    fn managed_since(&mut self, year_built: i32) -> NaiveDate {
        let (from, to) = if year_built >= 2006 {
            let from = date(year_built + 1, 1, 1);
            (from, (from + chrono::Months::new(24)).min(AS_OF))
        } else if self.chance(0.5) {
            (date(2007, 1, 1), date(2009, 12, 31))
        } else {
            (date(2010, 1, 1), date(2025, 12, 31))
        };
        let d = self.date_between(from, to);
        date(d.year(), d.month(), 1)
    }
}

#[allow(clippy::too_many_arguments)]
fn push(
    out: &mut DemoCompany,
    building: usize,
    number: String,
    residential: bool,
    area_centi: i64,
    rooms: Option<i32>,
    entrance: Option<usize>,
    floor: usize,
) -> usize {
    out.premises.push(DemoPremises {
        building,
        data: PremisesData {
            building_id: 0,
            number,
            residential,
            area_centi: Some(area_centi),
            rooms,
            entrance: entrance.map(|e| e as i32),
            floor: Some(floor as i32),
        },
    });
    out.premises.len() - 1
}
