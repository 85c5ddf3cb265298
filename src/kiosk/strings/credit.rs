//! Words of the Credit screen: credit types and the IDs each needs.

pub const CREDIT_HEADING: &str = "Credit — choose what you are claiming";
pub const CREDIT_NONE: &str = "Choose at least one credit type.";
pub const MOC_NAME: &str = "Also earn ABIM MOC points (opt in)";
pub const MOC_CONSENT: &str =
    "I consent to ABIM MOC completion being reported to ABIM through ACCME PARS";
pub const MOC_CONSENT_NEEDED: &str = "To earn MOC points, tick the consent to report them to ABIM.";
pub const EPID: &str = "NABP e-Profile ID";
pub const BIRTH_MMDD: &str = "Birth month and day (MMDD)";
pub const ABIM_ID: &str = "ABIM ID";
pub const ROLE: &str = "I am a";
pub const ROLE_PHARMACIST: &str = "Pharmacist";
pub const ROLE_TECHNICIAN: &str = "Pharmacy technician";
pub const ON_FILE: &str = "on file (type to replace it)";
/// Beside an empty ID field whose value the hub holds.
pub fn on_file_ending(ending: &str) -> String {
    format!("on file, ending {ending} (type to replace it)")
}

/// Footer of Credit.
pub const NEXT: &str = "Next";
pub const TICK_UNTICK: &str = "Tick / untick";
/// Beside the pharmacy role, and the walk-in form's profession.
pub const SPACE_CHANGES: &str = "(Space changes)";

/// The line above the credit types, for a profession ("physician
/// assistant").
pub fn credit_intro(profession: &str) -> String {
    format!("As a {profession} you can claim the following. Space ticks or unticks; ↑ ↓ move.")
}
