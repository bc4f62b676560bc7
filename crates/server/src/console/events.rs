//! (being built)

use crate::guard::Caller;
use crate::routes::Table;
use crate::state::Shared;
use maud::{html, Markup};

/// The findings list's custom-action bar: a form `#custom-action` (the list's checkboxes
/// name it with `form="custom-action"`) choosing an action to send the selected findings to.
pub(crate) async fn action_bar(_state: &Shared, _caller: &Caller) -> Markup {
    html! {}
}

pub(crate) fn routes() -> Table {
    vec![]
}
