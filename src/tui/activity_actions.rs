//! Opening the activity form: over the campaigns already loaded, or
//! loading them; a role that logs no work of its own is told why instead.

use rust_i18n::t;

use super::model::{Command, Model};
use super::popups::activity_form::ActivityForm;
use super::popups::{Popup, message};
use crate::api::CampaignList;

pub fn open(model: &mut Model) -> Option<Command> {
    if !super::roles::counts_work(model) {
        model.popup = Some(Popup::Message(message::MessageBox {
            title: t!("counting.form.title").into_owned(),
            text: t!("problem.role_does_not_count").into_owned(),
        }));
        return None;
    }
    let known = model.stats.campaigns_loaded.then(|| CampaignList {
        campaigns: model.stats.campaigns.clone(),
    });
    let form = ActivityForm::new(known.as_ref(), model.now);
    model.popup = Some(Popup::Activity(Box::new(form)));
    // Fetched each time the form opens: a campaign imported since counts.
    Some(Command::FetchCampaigns)
}
