//! Boxes written as text in a response: which characters are boxes, and what
//! an option with no mark beside it means, and a choice typed instead of
//! ticked.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use common::extract_text;
use serde_json::Value;

const Q15: &str = "15. Does your government have a specific national strategy on one or more of following new technologies?";
const LABELS: [(&str, &str); 4] = [
    ("ai", "Artificial Intelligence (AI)"),
    ("blockchain", "Blockchain"),
    ("big_data", "Big data"),
    ("smart_cities", "Smart cities"),
];

/// The states of q15's first four options in a response whose options are
/// written one per line, each after `marks[i]` ("" for none).
fn q15_states(marks: [&str; 4]) -> Vec<Value> {
    q15_states_of(|i, label| format!("{} {label}", marks[i]))
}

/// The states of q15's first four options in a response whose options are
/// written one per line, the line for option `i` being `row(i, label)`.
fn q15_states_of(row: impl Fn(usize, &str) -> String) -> Vec<Value> {
    let mut text = format!("VII. New Technologies\n{Q15}\n");
    for (i, (_, label)) in LABELS.iter().enumerate() {
        text.push_str(&row(i, label));
        text.push('\n');
    }
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let v = extract_text(
        &format!("q15-{}", CALLS.fetch_add(1, Ordering::Relaxed)),
        &text,
    );
    LABELS
        .iter()
        .map(|(id, _)| v["answers"]["q15"]["options"][id]["checked"].clone())
        .collect()
}

#[test]
fn filled_squares_and_the_root_sign_are_ticks() {
    let expected = [false, true, false, true].map(Value::from).to_vec();
    assert_eq!(q15_states(["◻", "◼", "◻", "⬛"]), expected);
    assert_eq!(q15_states(["□", "▣", "□", "√"]), expected);
    assert_eq!(q15_states(["( )", "(X)", "( )", "(x)"]), expected);
}

#[test]
fn radio_circles_are_choices_where_they_stand_as_choices() {
    let expected = [false, true, false, true].map(Value::from).to_vec();
    assert_eq!(q15_states(["○", "●", "○", "◉"]), expected);
    let (yes, no) = (Value::from("yes"), Value::from("no"));
    assert_eq!(q10("● Yes   ○ No").0, yes);
    assert_eq!(q10("○ Yes   ◉ No").0, no);
    // Filled circles alone are bullets: no choice.
    assert_eq!(q15_states(["●", "●", "●", "●"])[0], Value::Null);
}

#[test]
fn an_answer_typed_after_a_label_is_its_state() {
    let expected = [true, false, true, false].map(Value::from).to_vec();
    // An X after the chosen labels, the others bare.
    let x = ["  X", "", " x", ""];
    assert_eq!(
        q15_states_of(|i, label| format!("{label}{}", x[i])),
        expected
    );
    // The yes/no questions' labels typed per option.
    let said = ["Yes", "No", "Yes", "No"];
    assert_eq!(
        q15_states_of(|i, label| format!("{label}: {}", said[i])),
        expected
    );
    assert_eq!(
        q15_states_of(|i, label| format!("{label}\t{}", said[i])),
        expected
    );
    // Anything else after a label is not an answer.
    assert_eq!(
        q15_states_of(|_, label| format!("{label} is planned"))[0],
        Value::Null
    );
}

#[test]
fn when_only_the_chosen_options_are_ticked_the_others_are_unticked() {
    assert_eq!(
        q15_states(["", "✓", "", "✔"]),
        [false, true, false, true].map(Value::from).to_vec()
    );
}

/// q10's value and its options' states when its answer is `answer`.
fn q10(answer: &str) -> (Value, Value, Value) {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let text = format!(
        "IV. Usage of online services\n\
         10. Do you collect usage statistics of e-government services?\n\
         {answer}\n\
         11. If yes, do you publish results online and share those with the public institutions concerned?\n"
    );
    let name = format!("q10-{}", CALLS.fetch_add(1, Ordering::Relaxed));
    let a = extract_text(&name, &text)["answers"]["q10"].clone();
    let state = |id: &str| a["options"][id]["checked"].clone();
    (a["value"].clone(), state("yes"), state("no"))
}

#[test]
fn a_yes_or_no_typed_instead_of_ticked_is_the_answer() {
    let (yes, no) = (Value::from("yes"), Value::from("no"));
    let (t, f) = (Value::from(true), Value::from(false));
    assert_eq!(q10("Yes"), (yes.clone(), t.clone(), f.clone()));
    assert_eq!(
        q10("Yes, through the statistics office."),
        (yes, t.clone(), f.clone())
    );
    assert_eq!(q10("No."), (no, f, t));
    // Not a typed choice: a sentence that begins with the word, or both
    // labels with no box.
    // An X typed before one of two options set side by side.
    assert_eq!(q10("Yes   X No").0, Value::from("no"));
    assert_eq!(q10("X Yes   No").0, Value::from("yes"));
    assert_eq!(q10("Yes X   No").0, Value::Null);
    assert_eq!(q10("Yes\nNo X").0, Value::from("no"));
    // The options listed one to a line, none chosen; a typed choice with
    // an explanation below.
    assert_eq!(q10("Yes\nNo").0, Value::Null);
    assert_eq!(q10("Yes.\nNo data is published.").0, Value::from("yes"));
    assert_eq!(q10("No data is collected yet").0, Value::Null);
    assert_eq!(q10("Yes No").0, Value::Null);
    assert_eq!(q10("☐ Yes ☐ No").0, Value::Null);
}

#[test]
fn option_labels_written_without_their_abbreviation_or_in_the_other_number() {
    // "Artificial intelligence" for "Artificial Intelligence (AI)", the
    // abbreviation alone ("IoT"), "Smart city" for "Smart cities".
    let text = format!(
        "VII. New Technologies\n{Q15}\n☒ Artificial intelligence\n☐ Blockchain technology\n\
         ☐ Smart city\n☒ IoT\n☐ Quantum Computing\n☒ Virtual Reality (VR)\n"
    );
    let q15 = &extract_text("label-forms", &text)["answers"]["q15"]["options"];
    let states: Vec<(&str, Value)> = [
        "ai",
        "blockchain",
        "smart_cities",
        "iot",
        "quantum_computing",
        "virtual_reality",
    ]
    .into_iter()
    .map(|id| (id, q15[id]["checked"].clone()))
    .collect();
    assert_eq!(
        states,
        [
            ("ai", Value::from(true)),
            ("blockchain", Value::from(false)),
            ("smart_cities", Value::from(false)),
            ("iot", Value::from(true)),
            ("quantum_computing", Value::from(false)),
            ("virtual_reality", Value::from(true)),
        ]
    );
}

/// q15's first four options, laid out as a "Yes | No" column pair under
/// `header`, each row `label<TAB>box<TAB>box`; with the warnings on q15.
fn q15_columns(header: &str, rows: [(&str, &str); 4]) -> (Vec<Value>, Vec<String>) {
    let mut text = format!("VII. New Technologies\n{Q15}\n{header}\n");
    for (i, ((_, label), (first, second))) in LABELS.iter().zip(rows).enumerate() {
        if i == 2 {
            // The header row repeated, as on a table's next page.
            text.push_str(&format!("{header}\n"));
        }
        text.push_str(&format!("{label}\t{first}\t{second}\n"));
    }
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let v = extract_text(
        &format!("q15-columns-{}", CALLS.fetch_add(1, Ordering::Relaxed)),
        &text,
    );
    // The headers are form text, not an answer.
    assert_eq!(v["answers"]["q15"]["text"], Value::Null, "{text}");
    let states = LABELS
        .iter()
        .map(|(id, _)| v["answers"]["q15"]["options"][id]["checked"].clone())
        .collect();
    let warnings = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["question"] == "q15" && w["code"] != "option_not_found")
        .map(|w| w["code"].as_str().unwrap().to_string())
        .collect();
    (states, warnings)
}

#[test]
fn a_yes_no_column_pair_per_option_is_read_by_its_yes_column() {
    // Each option's row holds two boxes under a "Yes | No" header: the one
    // under "Yes" says whether the option is chosen; the header is no answer
    // text. Either column may come first, after a heading of the labels'.
    let rows = [("☐", "☒"), ("☒", "☐"), ("☐", "☒"), ("☒", "☐")];
    let (states, warnings) = q15_columns("\tYes\tNo", rows);
    assert_eq!(states, [false, true, false, true].map(Value::from).to_vec());
    assert!(warnings.is_empty(), "{warnings:?}");
    let (states, _) = q15_columns("Technology\tNo\tYes", rows);
    assert_eq!(states, [true, false, true, false].map(Value::from).to_vec());
    // Both boxes of a row ticked: no answer for that option, and said so.
    let rows = [("☒", "☒"), ("☒", "☐"), ("☐", "☒"), ("☐", "☒")];
    let (states, warnings) = q15_columns("\tYes\tNo", rows);
    assert_eq!(
        states,
        [Value::Null, true.into(), false.into(), false.into()].to_vec()
    );
    assert_eq!(warnings, ["contradictory_answer"]);
    // One X typed per row: under which column is not known from the text,
    // so no state rather than "ticked" for an X under "No".
    let rows = [("X", ""), ("", "X"), ("X", ""), ("", "X")];
    let (states, warnings) = q15_columns("\tYes\tNo", rows);
    assert_eq!(states, vec![Value::Null; 4]);
    let unknown = warnings.iter().filter(|w| *w == "checkbox_state_unknown");
    assert_eq!(unknown.count(), 4, "{warnings:?}");
}

#[test]
fn two_boxes_per_option_without_a_header_have_no_state() {
    // Which box is "Yes" is not known: no state, and said so, rather than
    // every option ticked because one of its boxes is.
    let rows = [("☐", "☒"), ("☒", "☐"), ("☐", "☒"), ("☒", "☐")];
    let (states, warnings) = q15_columns("", rows);
    assert_eq!(states, vec![Value::Null; 4]);
    assert_eq!(warnings, ["checkbox_state_unknown"]);
}
