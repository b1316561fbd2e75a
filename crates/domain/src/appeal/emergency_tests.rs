use super::*;

fn codes(text: &str) -> Vec<&'static str> {
    concepts(text).iter().map(|c| c.code).collect()
}

/// Each concept, worded as residents word it: no punctuation, slang, typos.
#[test]
fn every_concept_is_found_in_its_wordings() {
    let cases: &[(&str, &[&str])] = &[
        (
            "water",
            &[
                "соседи сверху топят вода по стене бежит",
                "у нас с потолка течёт",
                "прорвало трубу в ванной",
                "лопнул шланг у стиралки всё в воде",
                "залили нас сверху",
                "в подвале вода стоит по колено",
                "натяжной потолок провис пузырем",
                "из стояка хлещет",
                "капает с люстры",
            ],
        ),
        (
            "gas",
            &[
                "газом пахнет в подъезде",
                "запах газа на кухне",
                "воняет газом у лифта",
                "чувствуется газ",
                "утечка газа",
                "газовый запах на лестнице",
                "пахнит газом сильно",
            ],
        ),
        (
            "fire",
            &[
                "пожар в подвале",
                "горит мусоропровод",
                "огонь в щитке",
                "на балконе загорелось",
            ],
        ),
        (
            "smoke",
            &["дым из подвала", "в подъезде задымление", "дымится щиток"],
        ),
        (
            "burning",
            &[
                "искрит розетка",
                "запах гари в коридоре",
                "пахнет паленой проводкой",
                "оплавилась розетка",
                "бьёт током от крана",
            ],
        ),
        (
            "power",
            &[
                "во всём доме нет света",
                "весь подъезд без электричества",
                "свет отключили у всех в подъезде",
                "обесточен весь дом",
            ],
        ),
        (
            "lift",
            &[
                "застрял в лифте",
                "лифт встал между этажами",
                "ребенок в лифте не может выйти",
                "лифт с людьми остановился",
            ],
        ),
        (
            "sewage",
            &[
                "из унитаза выливается канализация",
                "подвал затоплен фекалиями",
                "канализация течёт в подвале",
            ],
        ),
        (
            "collapse",
            &[
                "угроза обрушения балкона",
                "кусок бетона упал с балкона",
                "трещина в стене растёт",
                "козырек прогнулся и трещит",
            ],
        ),
        (
            "heating",
            &[
                "батареи ледяные на улице -20",
                "не топят а на улице мороз",
                "нет отопления в доме январь",
                "стояк не греет дети мерзнут",
            ],
        ),
        (
            "entrance_winter",
            &[
                "в подъезде разбито окно мороз",
                "дверь подъезда не закрывается зима холодина",
            ],
        ),
    ];
    for (code, texts) in cases {
        for text in *texts {
            assert!(
                codes(text).contains(code),
                "{code}: «{text}» → {:?}",
                codes(text)
            );
        }
    }
}

#[test]
fn negated_events_do_not_count() {
    for text in [
        "газом не пахнет, просто проверьте плиту",
        "запаха газа нет, хотим поменять плиту",
        "кран не течёт уже",
        "с потолка не капает, просто пятно",
        "нет запаха газа",
        "дыма нет, просто щиток гудит",
        "течь с потолка прекратилась, пятно осталось",
        "запаха газа уже нет",
        "дыма вроде нету",
    ] {
        assert_eq!(codes(text), Vec::<&str>::new(), "«{text}»");
    }
}

#[test]
fn closed_past_does_not_count_and_open_past_does() {
    for text in [
        "вчера текло с потолка, сейчас сухо",
        "была протечка с потолка, нужен акт",
        "на прошлой неделе нас залили соседи, прошу комиссию",
        "весной при таянии течёт с потолка, каждый год одно и то же",
    ] {
        assert_eq!(codes(text), Vec::<&str>::new(), "«{text}»");
    }
    for text in [
        "затопило квартиру",
        "вчера залили, до сих пор капает с потолка",
        "соседи затопили опять",
        "вчера пахло газом и сейчас пахнет",
        "пахнет горелым, света нет",
        "подстанция сгорела нет света",
    ] {
        assert!(!codes(text).is_empty(), "«{text}»");
    }
}

#[test]
fn look_alike_words_do_not_match() {
    for text in [
        "газон во дворе не косят",
        "вопрос по оплате за газ",
        "свет в подъезде горит круглые сутки",
        "лампочка не горит на площадке",
        "капает кран в ванной",
        "подтекает смеситель",
        "в подъезде курят, дым от сигарет",
        "нет света в квартире",
        "лифт не работает",
        "запах канализации в подъезде",
        "батарея холодная в одной комнате",
        "нет холодной воды на кухне, зима же",
        "залили каток во дворе",
        "полы моют грязной водой",
        "дымоход чистить когда будете",
        "застряла машина во дворе",
        "пожарная лестница ржавая",
        "разбито окно в подъезде",
    ] {
        assert_eq!(codes(text), Vec::<&str>::new(), "«{text}»");
    }
}

/// Every word of the table is a dictionary lemma, so it can meet its forms: a word written
/// in an inflected form («морозы») or misspelt would never match.
#[test]
fn the_table_speaks_in_lemmas() {
    let t = table();
    let mut all: Vec<&Alt> = t.lists.values().flatten().collect();
    for c in &t.concepts {
        for p in &c.phrases {
            all.extend(p.slots.iter().flat_map(|s| &s.alts));
            all.extend(p.except.iter().chain(&p.except_part).chain(&p.except_here));
        }
    }
    let mut bad = Vec::new();
    for lemma in all.into_iter().flatten() {
        let tok = &words::tokens(lemma)[0];
        if !(KNOWN_OUTSIDE.contains(&lemma.as_str()) || tok.known && tok.has(lemma)) {
            bad.push(lemma.clone());
        }
    }
    bad.sort();
    bad.dedup();
    assert!(bad.is_empty(), "not dictionary lemmas: {bad:?}");
}

/// Words of the trade the dictionary lacks: matched as written and by stem.
const KNOWN_OUTSIDE: &[&str] = &[
    "электрощиток",
    "ивл",
    "коротить",
    "оплавиться",
    "коротнуть",
    "закоротить",
    // «нет эл-ва», «эл. энергия»: the abbreviation's pieces.
    "эл",
    "ва",
    // A room at 12 °C or less: the lemma the tokenizer gives such a number.
    "≤12",
];

#[test]
fn concepts_have_titles_and_unique_codes() {
    let all = all_concepts();
    assert!(all.len() >= 11);
    let mut codes: Vec<_> = all.iter().map(|c| c.code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len());
    assert!(all.iter().all(|c| !c.title.is_empty()));
}

#[test]
fn a_broken_table_names_its_line() {
    let e = parse("[x] t\nа + @nope\n").unwrap_err();
    assert!(e.starts_with("line 2"), "{e}");
    let e = parse("а\n").unwrap_err();
    assert!(e.contains("before any"), "{e}");
}

#[test]
fn typos_meet_by_one_letter() {
    assert!(one_edit("чуств", "чувств"));
    assert!(one_edit("падъезд", "подъезд"));
    assert!(one_edit("затап", "затоп"));
    assert!(one_edit("элетк", "элект"));
    assert!(!one_edit("газон", "газ"));
    assert!(!one_edit("свет", "совет1"));
    assert_eq!(codes("чуствуется газ в падъезде"), ["gas"]);
}

#[test]
fn misspelt_by_sound_and_latin_letters_meet() {
    // «о» after «ч» is heard as «ё» but read as «о»: the two forms meet one letter apart.
    assert!(one_edit(&sound("тичот"), &sound("течет")));
    assert_eq!(sound("патолка"), sound("потолка"));
    assert_eq!(sound("потолог"), sound("потолок"));
    assert_eq!(sound("падьезд"), sound("подъезд"));
    for (text, code) in [
        ("тичот с патолка", "water"),
        ("пахнит гозом в падъезде", "gas"),
        ("pahnet gazom v podezde", "gas"),
        ("zastryal v lifte", "lift"),
        ("svet otklyuchili vo vsem dome", "power"),
        ("KANALIZACIYA ZALIVAET PODVAL", "sewage"),
    ] {
        assert!(
            codes(text).contains(&code),
            "{code}: «{text}» → {:?}",
            codes(text)
        );
    }
    // Known words are never re-read by sound.
    assert_eq!(codes("газон во дворе"), Vec::<&str>::new());
}

#[test]
fn hypotheticals_do_not_count() {
    for text in [
        "если прорвет трубу в подвале, кто будет отвечать?",
        "боюсь что батарея может потечь, она старая",
        "вдруг загорится проводка в подвале, замените",
        "в случае пожара куда звонить?",
    ] {
        assert_eq!(codes(text), Vec::<&str>::new(), "«{text}»");
    }
}

#[test]
fn a_cold_room_is_an_emergency_a_cold_street_or_an_address_is_not() {
    for text in [
        "дома 11 градусов",
        "в квартире +10, батареи холодные",
        "в комнате 9 градусов",
    ] {
        assert!(
            codes(text).contains(&"heating"),
            "«{text}» → {:?}",
            codes(text)
        );
    }
    for text in [
        "на улице +5 градусов, когда включат отопление",
        "квартира 12, нужна справка",
        "горячая вода 12 градусов",
        "плановое отключение света 12.12 с 10 до 16",
    ] {
        assert!(
            !codes(text).contains(&"heating"),
            "«{text}» → {:?}",
            codes(text)
        );
    }
}

/// Issue 15 §1, second tuning: what a request, a promise or a moment ago says of the event.
#[test]
fn a_deed_asked_for_or_a_moment_ago_closes_nothing() {
    let cases: &[(&str, &str)] = &[
        // «устранить», «починят»: asked for or promised, not done.
        (
            "прошу срочно устранить течь трубы в подвале, вода на полу подвала",
            "water",
        ),
        (
            "лифт опять сломан, когда его починят? и там сейчас застряла соседка",
            "lift",
        ),
        // «час назад» is now, not a past date.
        (
            "во всём стояке нет света, вызвали аварийку час назад",
            "power",
        ),
        // «до сих пор не дали»: still not put right.
        (
            "вчера вечером пропал свет во всём подъезде и до сих пор не дали",
            "power",
        ),
        (
            "входная дверь в подъезд не закрывается, прошу отремонтировать, мороз -23",
            "entrance_winter",
        ),
    ];
    for (text, code) in cases {
        assert!(codes(text).contains(code), "«{text}» → {:?}", codes(text));
    }
    for text in [
        "затопили соседи год назад, до сих пор не возместили ущерб",
        "в лифте застревали на прошлой неделе, сейчас работает",
        "в прошлом месяце протекло в комнату, сейчас на потолке пятно",
        "запах газа проверили, газовщики сказали всё в порядке",
    ] {
        assert_eq!(codes(text), Vec::<&str>::new(), "«{text}»");
    }
}

#[test]
fn wordings_without_the_obvious_words() {
    let cases: &[(&str, &str)] = &[
        ("ТОПИТ!!! кв 12 срочно", "water"),
        ("с потолка в ванной моросит как дождик", "water"),
        ("в подвале шумит и парит, из продухов пар", "water"),
        (
            "порыв трубопровода в подвале, подвал подтапливается",
            "water",
        ),
        ("пол дома без света опять", "power"),
        ("в нашем корпусе нет эл-ва, в соседнем есть", "power"),
        ("пропала одна фаза на весь подъезд", "power"),
        ("погасло всё: свет, лифт, домофон", "power"),
        ("отключили свет во всём доме без предупреждения", "power"),
        ("лифт встал, я в нём, связи нет", "lift"),
        ("ЗАСТРЯЛ В ЛИФТЕ ЗВОНЮ НИКТО НЕ БЕРЕТ", "lift"),
        ("засор канализации, у троих уже на полу", "sewage"),
        (
            "в подвале стена пошла трещиной, плитка лопается",
            "collapse",
        ),
        ("у нас на кухне потолок висит, вот-вот упадёт", "collapse"),
        ("весь дом ледяной, минус 27", "heating"),
        ("на кухне резко запахло газом", "gas"),
        ("возгорание на крыше, рубероид горит от горелки", "fire"),
    ];
    for (text, code) in cases {
        assert!(codes(text).contains(code), "«{text}» → {:?}", codes(text));
    }
}

#[test]
fn denials_and_other_meanings() {
    for text in [
        // One «нет» for two nouns; a flame of a cooker or a barbecue.
        "пожарная сигнализация пищит, огня и дыма нет",
        "запаха газа нет, но плита гаснет при маленьком огне",
        "соседи жарят шашлык на мангале, огонь рядом с машинами",
        // Heating, not flooding.
        "плохо топят, дома холодно",
        // A typo read two ways is not also the frost; a denied frost is none.
        "батарея халодная, воздух",
        // People in a working lift; a crumbling coat of paint.
        "жильцы курят в лифте",
        "в подъезде отвалился кусок краски со стены",
        "отключат ли свет в доме при замене щитка?",
        "трубы в подвале старые, скоро прорвёт, замените заранее",
    ] {
        assert_eq!(codes(text), Vec::<&str>::new(), "«{text}»");
    }
}

#[test]
fn other_scripts_and_the_apostrophe() {
    for (text, code) in [
        ("nет света во всём доме", "power"),
        ("тeчет стояк в туалете сильно", "water"),
        (
            "dver pod'ezda ne zakryvaetsya, moroz -25",
            "entrance_winter",
        ),
        (
            "Gas smell in the hallway on the 3rd floor, please send someone",
            "gas",
        ),
    ] {
        assert!(codes(text).contains(&code), "«{text}» → {:?}", codes(text));
    }
}

/// Issue 15, after the third held-out set became a development set: the kinds of wording
/// its misses and false alarms showed, each in words of its own (not the set's texts).
#[test]
fn wordings_learnt_from_the_third_set() {
    let live: &[(&str, &str)] = &[
        // The grid unstable for a whole building, not only «нет света».
        ("power", "напряжение скачет во всём подъезде, у всех гаснет"),
        // A denied excluding word excludes nothing.
        (
            "power",
            "во всём доме нет света, никаких объявлений не было",
        ),
        ("power", "на этаже у всех нет света, предупреждения не было"),
        // Falling on people; a near miss is no denial.
        ("collapse", "с фасада куски облицовки падают на прохожих"),
        (
            "collapse",
            "в подъезде кусок потолка висит на арматуре, вчера чуть не упал на ребёнка",
        ),
        // Sewage on the floor whatever the verb; «при каждом сливе» is going on now.
        (
            "sewage",
            "из раковины выплёскивается канализация при каждом сливе",
        ),
        ("sewage", "стоки на полу в туалете"),
        // A smoke detector with smoke named.
        ("smoke", "сработал датчик дыма, в коридоре всё в дыму"),
        // Someone in a lift said by the verb; a drain overflowing; a basement door in frost.
        ("lift", "сижу в лифте, он не едет, помогите"),
        ("lift", "лифт не открывает двери, внутри дочь"),
        (
            "sewage",
            "в ванну поднялась грязная вода из слива и переливается на пол",
        ),
        (
            "entrance_winter",
            "дверь в подвал выломали, на улице минус 20",
        ),
        ("water", "мокро, весь коридор в воде и весь пол"),
        // Thanks close their own sentence, not the rest of a letter.
        (
            "heating",
            "Спасибо за ремонт крыльца. В квартире 11 градусов, батареи холодные",
        ),
    ];
    for (code, text) in live {
        assert!(codes(text).contains(code), "{text}: {:?}", codes(text));
    }
    let quiet = [
        "у меня одного мигает свет в комнате",
        // An announced outage stays planned.
        "объявление: отключение электроэнергии во всём доме в четверг",
        "кусок обоев отвалился в коридоре",
        "бачок унитаза подтекает тонкой струйкой в унитаз",
        // A smoke detector's name is not smoke.
        "у соседей пищит датчик дыма, дыма нет, батарейка села",
        // A future and a fear are not events.
        "крышу не чинят, весной опять будет течь",
        "трубы гнилые, рано или поздно прорвёт",
        "лифт барахлит, застрять боимся",
        // Only when cooking; thanks for a deed done.
        "пахнет газом только когда включаю духовку",
        "спасибо за быструю замену лопнувшей трубы",
        // «пару дней» is no steam; a past fire's soot is no burning; a lift that sticks
        // every week is a broken lift, and one that does not run locks nobody in.
        "из крана идёт муть, фильтр чернеет за пару дней",
        "после пожара на лестнице всё обгорелое, пахнет гарью",
        "лифт застревает каждую неделю, люди сидят по часу",
        "лифт не работает, пожилые не могут выйти из подъезда",
        // Not seen anywhere; a condition's consequence; a lift left in time.
        "из подвала пахнет канализацией, воды нигде не видно",
        "если отключат отопление в мороз, трубы лопнут",
        "лифт встал между этажами, но я успел выйти, внутри никого",
    ];
    for text in quiet {
        assert!(codes(text).is_empty(), "{text}: {:?}", codes(text));
    }
    // Icicles are no emergency (HELDOUT.md): never a concept, and they keep the learned
    // model from flagging the text.
    let a = assess(&words::tokens("огромные сосульки над входом, люди ходят"));
    assert!(a.live.is_empty() && a.denied, "{a:?}");
    assert!(all_concepts().iter().all(|c| !c.code.starts_with('-')));
}
