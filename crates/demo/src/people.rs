//! The people of an account: households of owners or municipal tenants, registered family
//! members, landlords, representatives, and benefits.

use abonent_domain::registry::{AccountData, LinkRole, PersonData, Share};
use chrono::{Months, NaiveDate};
use rand::Rng;

use crate::buildings::Place;
use crate::names::{patronymic, surname_for, translit};
use crate::{date, DemoAccount, DemoCompany, DemoLink, Generator, AS_OF};

const HALF: Share = Share { num: 1, den: 2 };
const EMAIL_DOMAINS: [&str; 8] = [
    "mail.ru",
    "yandex.ru",
    "gmail.com",
    "bk.ru",
    "list.ru",
    "inbox.ru",
    "rambler.ru",
    "ya.ru",
];
/// People living together: the head first, then the spouse if any, then the others.
struct Household {
    members: Vec<(usize, NaiveDate)>,
    couple: bool,
}

pub(crate) fn years_after(d: NaiveDate, years: u32) -> NaiveDate {
    d.checked_add_months(Months::new(12 * years))
        .unwrap_or(NaiveDate::MAX)
}

impl Generator {
    /// One or two accounts for the premises `p`, with their people and links.
    pub(crate) fn accounts_for(&mut self, out: &mut DemoCompany, p: usize, place: &Place) {
        let built = date(place.year_built, 1, 1).max(date(1992, 7, 1));
        if !place.residential {
            let h = self.household(out, 1, 1960, 1995);
            let owned = self.date_between(built, AS_OF);
            let a = self.account(out, p, place, owned, Share::WHOLE);
            self.link(
                out,
                a,
                h.members[0].0,
                LinkRole::Owner,
                Some(Share::WHOLE),
                owned,
            );
            if self.chance(0.25) {
                self.representative(out, a);
            }
            return;
        }
        if self.chance(0.05) {
            // Two accounts, half of the flat each: one family lives here, the other owner
            // lives elsewhere.
            let h = self.household(out, 4, 1940, 1998);
            let owned = self.date_between(built.max(years_after(h.members[0].1, 18)), AS_OF);
            let a = self.account(out, p, place, owned, HALF);
            self.link(out, a, h.members[0].0, LinkRole::Owner, Some(HALF), owned);
            self.register(out, a, &h.members, owned);
            let other = self.household(out, 1, 1940, 1998);
            let b = self.account(out, p, place, owned, HALF);
            self.link(
                out,
                b,
                other.members[0].0,
                LinkRole::Owner,
                Some(HALF),
                owned,
            );
            return;
        }
        let municipal = self.chance(if place.year_built < 1990 { 0.14 } else { 0.03 });
        let landlord = !municipal && self.chance(0.15);
        let h = self.household(out, if landlord { 2 } else { 4 }, 1940, 1998);
        let head = h.members[0];
        let since = self.date_between(built.max(years_after(head.1, 18)), AS_OF);
        if municipal {
            let a = self.account(out, p, place, since, Share::WHOLE);
            self.link(out, a, head.0, LinkRole::Tenant, None, since);
            self.register(out, a, &h.members, since);
        } else if landlord {
            // A landlord: the owners live elsewhere; tenants are seldom registered.
            let a = self.account(out, p, place, since, Share::WHOLE);
            self.owners(out, a, &h, since, true);
            if self.chance(0.3) {
                let renters = self.household(out, 2, 1965, 2004);
                let from = self.date_between(since, AS_OF);
                self.register(out, a, &renters.members, from);
            }
        } else {
            let a = self.account(out, p, place, since, Share::WHOLE);
            self.owners(out, a, &h, since, false);
            self.register(out, a, &h.members, since);
            if self.chance(0.02) {
                self.representative(out, a);
            }
        }
    }

    fn account(
        &mut self,
        out: &mut DemoCompany,
        p: usize,
        place: &Place,
        since: NaiveDate,
        share: Share,
    ) -> usize {
        let number = self.account_number();
        out.accounts.push(DemoAccount {
            premises: p,
            data: AccountData {
                number,
                premises_id: 0,
                opened_on: since.max(place.managed_since),
                closed_on: None,
                share,
            },
        });
        out.accounts.len() - 1
    }

    fn link(
        &mut self,
        out: &mut DemoCompany,
        account: usize,
        person: usize,
        role: LinkRole,
        share: Option<Share>,
        from: NaiveDate,
    ) {
        let from_date = (!self.chance(0.08)).then_some(from);
        out.links.push(DemoLink {
            account,
            person,
            role,
            share,
            from_date,
        });
    }

    /// The head alone, or a couple with half each.
    /// The head alone or a couple in halves; `all`: every member of a household of one or
    /// two (a parent and a grown child own in halves too), as nobody of it is registered.
    fn owners(
        &mut self,
        out: &mut DemoCompany,
        a: usize,
        h: &Household,
        since: NaiveDate,
        all: bool,
    ) {
        let n = if all {
            h.members.len().min(2)
        } else if h.couple && self.chance(0.6) {
            2
        } else {
            1
        };
        let share = if n == 2 { HALF } else { Share::WHOLE };
        for &(person, _) in &h.members[..n] {
            self.link(out, a, person, LinkRole::Owner, Some(share), since);
        }
    }

    /// Registered from `since`, or from birth for those born later.
    fn register(
        &mut self,
        out: &mut DemoCompany,
        a: usize,
        who: &[(usize, NaiveDate)],
        since: NaiveDate,
    ) {
        for &(person, birth) in who.iter().take(4) {
            self.link(out, a, person, LinkRole::Registered, None, since.max(birth));
        }
    }

    fn representative(&mut self, out: &mut DemoCompany, a: usize) {
        let h = self.household(out, 1, 1960, 1995);
        let from = self.date_between(date(2022, 1, 1), AS_OF);
        self.link(out, a, h.members[0].0, LinkRole::Representative, None, from);
    }

    /// A family of up to `max` people sharing a surname; the head is born in `years`.
    fn household(&mut self, out: &mut DemoCompany, max: usize, from: i32, to: i32) -> Household {
        let surname = self.surnames[self.rng.gen_range(0..self.surnames.len())];
        let head_female = self.chance(0.5);
        let head_year = self.rng.gen_range(from..=to);
        let (head, head_name, head_birth) = self.person(out, surname, head_female, head_year, None);
        let mut members = vec![(head, head_birth)];
        let mut father = (!head_female).then_some(head_name);
        let mut youngest_parent = head_year;
        let couple = max >= 2 && self.chance(0.55);
        if couple {
            let gap = self.rng.gen_range(0..=6);
            let year = if head_female {
                head_year - gap
            } else {
                head_year + gap
            };
            let (spouse, name, birth) = self.person(out, surname, !head_female, year, None);
            members.push((spouse, birth));
            if head_female {
                father = Some(name);
            }
            youngest_parent = youngest_parent.max(year);
        }
        if members.len() < max && youngest_parent <= 1983 {
            let children = [0, 0, 1, 1, 1, 2, 2][self.rng.gen_range(0..7)];
            for _ in 0..children.min(max - members.len()) {
                let year = youngest_parent + self.rng.gen_range(20..=32);
                if year > 2006 {
                    break;
                }
                let female = self.chance(0.5);
                let (child, _, birth) = self.person(out, surname, female, year, father);
                members.push((child, birth));
            }
        }
        Household { members, couple }
    }

    /// A new person; returns the index, the first name and the birth date.
    fn person(
        &mut self,
        out: &mut DemoCompany,
        surname: &'static str,
        female: bool,
        year: i32,
        father: Option<&'static str>,
    ) -> (usize, &'static str, NaiveDate) {
        let year = year.clamp(1935, 2006);
        let first = self.first_name(female, year);
        let father = father.unwrap_or_else(|| self.first_name(false, year - 28));
        let birth = self.date_between(date(year, 1, 1), date(year, 12, 31));
        let last_name = surname_for(surname, female);
        let mut phones = Vec::new();
        if self.chance(0.85) {
            phones.push(self.phone());
            if self.chance(0.12) {
                phones.push(self.phone());
            }
        }
        let email = self
            .chance(if year >= 1970 { 0.55 } else { 0.2 })
            .then(|| self.email(&last_name, first, year));
        let id_document = self.chance(0.4).then(|| self.passport(birth));
        let consent_sms = !phones.is_empty() && self.chance(0.7);
        let consent_email = email.is_some() && self.chance(0.6);
        out.persons.push(PersonData {
            last_name,
            first_name: first.to_string(),
            middle_name: Some(patronymic(father, female)),
            birth_date: Some(birth),
            phones,
            email,
            id_document,
            consent_sms,
            consent_email,
            legal_capacity: Default::default(),
            capacity_basis: None,
        });
        let idx = out.persons.len() - 1;
        if self.chance(0.08) {
            self.benefit(out, idx, female, birth);
        }
        (idx, first, birth)
    }

    /// A first name in fashion in `year`.
    fn first_name(&mut self, female: bool, year: i32) -> &'static str {
        let list = if female { &self.female } else { &self.male };
        for _ in 0..16 {
            let (name, era) = list[self.rng.gen_range(0..list.len())];
            if era.fits(year) {
                return name;
            }
        }
        list[0].0
    }

    fn email(&mut self, last_name: &str, first: &str, year: i32) -> String {
        let (l, f) = (translit(last_name), translit(first));
        let initial = &f[..1];
        let domain = EMAIL_DOMAINS[self.rng.gen_range(0..EMAIL_DOMAINS.len())];
        match self.rng.gen_range(0..4) {
            0 => format!("{f}.{l}{:02}@{domain}", year % 100),
            1 => format!("{l}.{initial}{}@{domain}", self.rng.gen_range(1..1000)),
            2 => format!("{f}{l}{year}@{domain}"),
            _ => format!("{initial}{l}{}@{domain}", self.rng.gen_range(10..100)),
        }
    }
}
