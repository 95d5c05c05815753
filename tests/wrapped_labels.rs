//! Option labels wrapped over several lines, as narrow table cells wrap them:
//! which option a box belongs to when labels begin alike, and a wrapped
//! label whose first line is also words of the form's own text.

mod common;

use common::extract_text;
use serde_json::Value;

fn answers(name: &str, text: &str) -> Value {
    extract_text(name, text)["answers"].clone()
}

fn checked(answer: &Value, option: &str) -> Value {
    answer["options"][option]["checked"].clone()
}

#[test]
fn labels_that_begin_alike_are_told_apart_by_how_they_go_on() {
    // Both labels begin "makes specific reference to the" and wrap there.
    let a = answers(
        "alike",
        "8. Please check whichever applies.\n\
         \n\
         [ ] makes specific reference to the\n\
         use of social media in the\n\
         government.\n\
         [X] makes specific reference to the\n\
         use of new technologies such as\n\
         artificial intelligence, blockchain,\n\
         big data\n",
    );
    let q8 = &a["q8"];
    assert_eq!(checked(q8, "social_media"), false, "{q8}");
    assert_eq!(checked(q8, "new_technologies"), true, "{q8}");
    // The labels' lines are not explanation text.
    assert_eq!(q8["text"], Value::Null, "{q8}");
}

#[test]
fn a_boxed_line_is_an_option_even_in_the_forms_own_words() {
    // "United Nations E-Government" is also how the form's introduction
    // names the Survey: form text, were it not for the box.
    let a = answers(
        "form-words",
        "X. Contact and Additional Information\n\
         \n\
         2. How did you hear about this questionnaire?\n\
         \n\
         [ ] Directly from UN DESA\n\
         [X] United Nations E-Government\n\
         Survey website\n\
         [ ] Other: (Max. 250 words)\n",
    );
    let x2 = &a["x2"];
    assert_eq!(checked(x2, "undesa"), false, "{x2}");
    assert_eq!(checked(x2, "survey_website"), true, "{x2}");
    assert_eq!(x2["other_text"], Value::Null, "{x2}");
}
