//! Optional content (layers): what the document's default configuration
//! turns off is not shown, so its text is not read either (a form's
//! "instructions" layer hidden for printing, for one).

use hayro_font::hayro_syntax::object::dict::keys::{
    BASE_STATE, D, OCGS, OCPROPERTIES, OFF, ON, P, TYPE,
};
use hayro_font::hayro_syntax::object::{Array, Dict, Name, ObjectIdentifier};
use rustc_hash::FxHashSet;

/// The optional content groups a document's default configuration turns
/// off, read once per document.
#[derive(Default)]
pub struct HiddenGroups(FxHashSet<ObjectIdentifier>);

impl HiddenGroups {
    pub fn from_catalog(catalog: Option<Dict<'_>>) -> Self {
        let mut hidden = FxHashSet::default();
        let Some(properties) = catalog.and_then(|c| c.get::<Dict<'_>>(OCPROPERTIES)) else {
            return HiddenGroups::default();
        };
        let Some(config) = properties.get::<Dict<'_>>(D) else {
            return HiddenGroups::default();
        };
        let refs = |array: Option<Array<'_>>| -> Vec<ObjectIdentifier> {
            array
                .map(|a| {
                    a.raw_iter()
                        .filter_map(|item| item.as_obj_ref().map(Into::into))
                        .collect()
                })
                .unwrap_or_default()
        };
        let base_off = config
            .get::<Name<'_>>(BASE_STATE)
            .is_some_and(|b| b.as_ref() == b"OFF");
        if base_off {
            hidden.extend(refs(properties.get::<Array<'_>>(OCGS)));
        }
        for on in refs(config.get::<Array<'_>>(ON)) {
            hidden.remove(&on);
        }
        hidden.extend(refs(config.get::<Array<'_>>(OFF)));
        HiddenGroups(hidden)
    }
}

/// What is visible while a content stream is walked.
pub struct OptionalContent<'h> {
    hidden: &'h HiddenGroups,
    /// Visibility of each open marked-content sequence.
    open: Vec<bool>,
}

impl<'h> OptionalContent<'h> {
    pub fn new(hidden: &'h HiddenGroups) -> Self {
        OptionalContent {
            hidden,
            open: Vec::new(),
        }
    }

    pub fn is_visible(&self) -> bool {
        self.open.last().copied().unwrap_or(true)
    }

    /// Opens a sequence that is not optional content.
    pub fn begin(&mut self) {
        let visible = self.is_visible();
        self.open.push(visible);
    }

    /// Opens a sequence governed by an optional content group (`id` its
    /// object) or membership dictionary.
    pub fn begin_group(&mut self, group: &Dict<'_>, id: Option<ObjectIdentifier>) {
        let is_membership = group
            .get::<Name<'_>>(TYPE)
            .is_some_and(|t| t.as_ref() == b"OCMD");
        let on = if is_membership || id.is_none() {
            self.membership_on(group)
        } else {
            id.is_none_or(|id| !self.hidden.0.contains(&id))
        };
        let visible = self.is_visible() && on;
        self.open.push(visible);
    }

    fn membership_on(&self, membership: &Dict<'_>) -> bool {
        let groups: Vec<ObjectIdentifier> = match membership.get::<Array<'_>>(OCGS) {
            Some(array) => array
                .raw_iter()
                .filter_map(|item| item.as_obj_ref().map(Into::into))
                .collect(),
            None => membership
                .get_ref(OCGS)
                .map(Into::into)
                .into_iter()
                .collect(),
        };
        if groups.is_empty() {
            return true;
        }
        let on = |id: &ObjectIdentifier| !self.hidden.0.contains(id);
        let policy = membership.get::<Name<'_>>(P);
        match policy.as_ref().map(|p| p.as_ref()).unwrap_or_default() {
            b"AllOn" => groups.iter().all(on),
            b"AnyOff" => !groups.iter().all(on),
            b"AllOff" => !groups.iter().any(on),
            _ => groups.iter().any(on),
        }
    }

    pub fn end(&mut self) {
        self.open.pop();
    }
}
