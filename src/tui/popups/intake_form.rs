//! The intake desk's form: a consultation ticket, a pro bono request
//! (through the green channel, with the frontline group) or a mediation
//! request; the applicant and the respondent; where it goes (a unit the
//! desk serves, its pool or a person there). Tab and the arrows move,
//! ←/→ change a choice, Enter registers. Checked by `domain::intake`, the
//! server's and the CLI's check, before it is queued.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rust_i18n::t;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Dialog, KeyResult};
use crate::api::intake::{NewItem, NewParty, PartySide};
use crate::api::intake_units::IntakeUnit;
use crate::domain::intake::{PartyInput, check_new_item};
use crate::domain::{Category, Channel, FrontlineGroup, ItemKind, PartyKind};
use crate::tui::context::Context;
use crate::tui::message::Command;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Kind,
    Title,
    Channel,
    Category,
    Green,
    Group,
    AName,
    AKind,
    APhone,
    AId,
    RName,
    RKind,
    RPhone,
    RId,
    Unit,
    Assignee,
}

impl Field {
    pub const ALL: [Field; 16] = [
        Self::Kind,
        Self::Title,
        Self::Channel,
        Self::Category,
        Self::Green,
        Self::Group,
        Self::AName,
        Self::AKind,
        Self::APhone,
        Self::AId,
        Self::RName,
        Self::RKind,
        Self::RPhone,
        Self::RId,
        Self::Unit,
        Self::Assignee,
    ];

    /// A choice cycles with ←/→; the rest are typed.
    pub fn is_choice(self) -> bool {
        matches!(
            self,
            Self::Kind
                | Self::Channel
                | Self::Category
                | Self::Green
                | Self::Group
                | Self::AKind
                | Self::RKind
                | Self::Unit
                | Self::Assignee
        )
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Kind => "intake_tui.form.kind",
            Self::Title => "intake_tui.form.title",
            Self::Channel => "intake_tui.form.channel",
            Self::Category => "intake_tui.form.category",
            Self::Green => "intake_tui.form.green",
            Self::Group => "intake_tui.form.group",
            Self::AName => "intake_tui.form.a_name",
            Self::AKind => "intake_tui.form.a_kind",
            Self::APhone => "intake_tui.form.a_phone",
            Self::AId => "intake_tui.form.a_id",
            Self::RName => "intake_tui.form.r_name",
            Self::RKind => "intake_tui.form.r_kind",
            Self::RPhone => "intake_tui.form.r_phone",
            Self::RId => "intake_tui.form.r_id",
            Self::Unit => "intake_tui.form.unit",
            Self::Assignee => "intake_tui.form.assignee",
        }
    }
}

/// Where the form is: typing, being stored, stored and being sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormState {
    Editing,
    Saving(u64),
    /// In the outbox, on disk: nothing is lost from here on.
    Saved(u64),
}

/// A party's typed fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartyFields {
    pub name: String,
    pub enterprise: bool,
    pub phone: String,
    pub id_number: String,
}

impl PartyFields {
    fn party(&self, role: PartySide) -> Option<NewParty> {
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Some(NewParty {
            name: opt(&self.name)?,
            role,
            kind: if self.enterprise {
                PartyKind::Enterprise
            } else {
                PartyKind::Person
            },
            phone: opt(&self.phone),
            id_number: opt(&self.id_number),
        })
    }

    fn is_blank(&self) -> bool {
        self.name.trim().is_empty() && self.phone.trim().is_empty() && self.id_number.trim().is_empty()
    }
}

pub struct IntakeForm {
    pub kind: usize,
    pub title: String,
    pub channel: usize,
    pub category: usize,
    pub green: bool,
    /// 0: none; n: `FrontlineGroup::ALL[n - 1]`.
    pub group: usize,
    pub applicant: PartyFields,
    pub respondent: PartyFields,
    pub unit: usize,
    /// 0: the unit's pool; n: the unit's n-th person.
    pub assignee: usize,
    pub focus: Field,
    pub error: Option<String>,
    pub state: FormState,
}

pub const KINDS: [ItemKind; 3] = [ItemKind::Consultation, ItemKind::ProBono, ItemKind::Mediation];

impl Default for IntakeForm {
    fn default() -> Self {
        IntakeForm {
            kind: 0,
            title: String::new(),
            channel: 0,
            category: Category::ALL.len() - 1,
            green: false,
            group: 0,
            applicant: PartyFields::default(),
            respondent: PartyFields::default(),
            unit: 0,
            assignee: 0,
            focus: Field::Kind,
            error: None,
            state: FormState::Editing,
        }
    }
}

fn cycle(at: usize, n: usize, forward: bool) -> usize {
    if n == 0 {
        0
    } else if forward {
        (at + 1) % n
    } else {
        (at + n - 1) % n
    }
}

impl IntakeForm {
    pub fn item_kind(&self) -> ItemKind {
        KINDS[self.kind % KINDS.len()]
    }
    pub fn channel(&self) -> Channel {
        Channel::ALL[self.channel % Channel::ALL.len()]
    }
    pub fn category(&self) -> Category {
        Category::ALL[self.category % Category::ALL.len()]
    }
    pub fn group(&self) -> Option<FrontlineGroup> {
        self.group
            .checked_sub(1)
            .and_then(|g| FrontlineGroup::ALL.get(g).copied())
    }

    pub fn target<'a>(&self, units: &'a [IntakeUnit]) -> Option<&'a IntakeUnit> {
        units.get(self.unit)
    }

    /// The form as a request, checked as the server will check it.
    pub fn validate(&self, units: Option<&[IntakeUnit]>) -> Result<NewItem, String> {
        let mut parties = Vec::new();
        if let Some(p) = self.applicant.party(PartySide::Applicant) {
            parties.push(p);
        } else if !self.applicant.is_blank() {
            return Err(t!("intake.refusal.party_name").into_owned());
        }
        if let Some(p) = self.respondent.party(PartySide::Respondent) {
            parties.push(p);
        } else if !self.respondent.is_blank() {
            return Err(t!("intake.refusal.party_name").into_owned());
        }
        let inputs: Vec<PartyInput<'_>> = parties.iter().map(PartyInput::from).collect();
        let (kind, group) = (self.item_kind(), self.group());
        check_new_item(kind, &self.title, self.green, group, &inputs)
            .map_err(|r| crate::i18n::intake_refusal(&r))?;
        let units = units.ok_or_else(|| t!("intake_tui.form.units_loading").into_owned())?;
        let unit = self
            .target(units)
            .ok_or_else(|| t!("intake_tui.form.no_units").into_owned())?;
        let assignee_id = self
            .assignee
            .checked_sub(1)
            .and_then(|n| unit.people.get(n))
            .map(|p| p.id);
        Ok(NewItem {
            kind,
            title: self.title.trim().to_string(),
            description: String::new(),
            channel: self.channel(),
            category: self.category(),
            green_channel: self.green,
            frontline_group: group,
            fee_waiver_eligible: self.green && kind == ItemKind::ProBono,
            parties,
            unit_id: unit.unit.id,
            assignee_id,
            external_ref: None,
        })
    }

    fn text_mut(&mut self) -> Option<&mut String> {
        Some(match self.focus {
            Field::Title => &mut self.title,
            Field::AName => &mut self.applicant.name,
            Field::APhone => &mut self.applicant.phone,
            Field::AId => &mut self.applicant.id_number,
            Field::RName => &mut self.respondent.name,
            Field::RPhone => &mut self.respondent.phone,
            Field::RId => &mut self.respondent.id_number,
            _ => return None,
        })
    }

    fn change(&mut self, forward: bool, units: &[IntakeUnit]) {
        match self.focus {
            Field::Kind => self.kind = cycle(self.kind, KINDS.len(), forward),
            Field::Channel => self.channel = cycle(self.channel, Channel::ALL.len(), forward),
            Field::Category => self.category = cycle(self.category, Category::ALL.len(), forward),
            Field::Green => self.green = !self.green,
            Field::Group => {
                self.group = cycle(self.group, FrontlineGroup::ALL.len() + 1, forward);
                // A group goes with the green channel.
                if self.group > 0 {
                    self.green = true;
                }
            }
            Field::AKind => self.applicant.enterprise = !self.applicant.enterprise,
            Field::RKind => self.respondent.enterprise = !self.respondent.enterprise,
            Field::Unit => {
                self.unit = cycle(self.unit, units.len(), forward);
                self.assignee = 0;
            }
            Field::Assignee => {
                let n = self.target(units).map_or(0, |u| u.people.len()) + 1;
                self.assignee = cycle(self.assignee, n, forward);
            }
            _ => {}
        }
    }

    fn step(&mut self, forward: bool) {
        let at = Field::ALL.iter().position(|f| *f == self.focus).unwrap_or(0);
        self.focus = Field::ALL[cycle(at, Field::ALL.len(), forward)];
    }
}

impl Dialog for IntakeForm {
    fn handle_key(&mut self, key: KeyEvent, cx: &Context) -> KeyResult {
        if self.state != FormState::Editing {
            // Stored already: closing loses nothing, the outbox sends it.
            return match key.code {
                KeyCode::Esc | KeyCode::Enter => KeyResult::Close(None),
                _ => KeyResult::Consumed(None),
            };
        }
        let units = cx.intake_units.map(<[_]>::to_vec).unwrap_or_default();
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => return KeyResult::Close(None),
            KeyCode::Tab | KeyCode::Down => self.step(true),
            KeyCode::BackTab | KeyCode::Up => self.step(false),
            KeyCode::Left | KeyCode::Right if self.focus.is_choice() => {
                self.change(key.code == KeyCode::Right, &units)
            }
            KeyCode::Char(' ') if self.focus.is_choice() => self.change(true, &units),
            KeyCode::Enter => match self.validate(cx.intake_units) {
                Ok(item) => {
                    let request = cx.requests.take();
                    self.state = FormState::Saving(request);
                    self.error = None;
                    return KeyResult::Consumed(Some(Command::RegisterItem {
                        request,
                        item: Box::new(item),
                    }));
                }
                Err(e) => self.error = Some(e),
            },
            KeyCode::Backspace => {
                if let Some(text) = self.text_mut() {
                    text.pop();
                }
            }
            KeyCode::Char(c) if !ctrl => {
                if let Some(text) = self.text_mut() {
                    text.push(c);
                }
            }
            _ => {}
        }
        KeyResult::Consumed(None)
    }

    fn draw(&self, cx: &Context, frame: &mut Frame, area: Rect) {
        self.render(cx, frame, area)
    }
}
