//! The automatic workflow rules, after Security Hub's for control findings. Pure: the
//! store feeds it what it knew of a finding and what the new run says.

use rampart_model::{RecordState, Status, WorkflowStatus};

/// What the store knew of a finding before this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Known {
    pub status: Status,
    pub workflow: WorkflowStatus,
    pub record_state: RecordState,
}

/// The workflow status of a finding the run reports as `now`.
///
/// - First sight: PASSED is RESOLVED (as Security Hub does for passed control
///   findings), anything else NEW.
/// - SUPPRESSED is a person's decision: it never changes automatically.
/// - NOT_AVAILABLE says nothing about the resource: the workflow stays as it was.
/// - PASSED after FAILED, WARNING or NOT_AVAILABLE, or on a finding that comes back
///   from ARCHIVED: NEW and NOTIFIED become RESOLVED.
/// - FAILED or WARNING after PASSED, or on a finding that comes back from ARCHIVED:
///   RESOLVED and NOTIFIED become NEW (Security Hub resets both). After
///   NOT_AVAILABLE, RESOLVED becomes NEW too, so PASSED → NOT_AVAILABLE → FAILED
///   reopens the finding like PASSED → FAILED. Only the last status is stored, so a
///   person's RESOLVED on a FAILED finding is also reopened by FAILED → NOT_AVAILABLE →
///   FAILED (a known limit: storing the last decisive status would tell them apart).
/// - Otherwise (same status again) the workflow is kept, so a person's RESOLVED on a
///   still-failing finding holds until the status changes.
pub(crate) fn next_workflow(known: Option<Known>, now: Status) -> WorkflowStatus {
    use Status::*;
    use WorkflowStatus::*;
    let Some(k) = known else {
        return if now == Passed { Resolved } else { New };
    };
    let archived = k.record_state == RecordState::Archived;
    match (k.workflow, now) {
        (Suppressed, _) | (_, NotAvailable) => k.workflow,
        (New | Notified, Passed) if k.status != Passed || archived => Resolved,
        (Resolved | Notified, Failed | Warning) if k.status == Passed || archived => New,
        (Resolved, Failed | Warning) if k.status == NotAvailable => New,
        (w, _) => w,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RecordState::*;
    use Status::*;
    use WorkflowStatus::*;

    fn check(
        status: Status,
        workflow: WorkflowStatus,
        state: RecordState,
        now: Status,
        expect: WorkflowStatus,
    ) {
        let known = Known {
            status,
            workflow,
            record_state: state,
        };
        assert_eq!(
            next_workflow(Some(known), now),
            expect,
            "{known:?} then {now:?}"
        );
    }

    #[test]
    fn first_sight() {
        assert_eq!(next_workflow(None, Passed), Resolved);
        assert_eq!(next_workflow(None, Failed), New);
        assert_eq!(next_workflow(None, Warning), New);
        assert_eq!(next_workflow(None, NotAvailable), New);
    }

    #[test]
    fn passing_resolves_new_and_notified() {
        for was in [Failed, Warning, NotAvailable] {
            check(was, New, Active, Passed, Resolved);
            check(was, Notified, Active, Passed, Resolved);
            check(was, Suppressed, Active, Passed, Suppressed);
            check(was, Resolved, Active, Passed, Resolved);
        }
        // Still passing: a person's NEW is kept.
        check(Passed, New, Active, Passed, New);
        // Back from archive and passing.
        check(Passed, New, Archived, Passed, Resolved);
    }

    #[test]
    fn failing_again_reopens() {
        for now in [Failed, Warning] {
            check(Passed, Resolved, Active, now, New);
            check(Passed, Notified, Active, now, New);
            check(Passed, Suppressed, Active, now, Suppressed);
            check(NotAvailable, Resolved, Active, now, New);
            check(NotAvailable, Notified, Active, now, Notified);
            // A person resolved a finding that still fails: kept until it changes.
            check(Failed, Resolved, Active, now, Resolved);
            check(Failed, Notified, Active, now, Notified);
            // Back from archive.
            check(Failed, Resolved, Archived, now, New);
            check(Failed, Suppressed, Archived, now, Suppressed);
        }
    }

    #[test]
    fn not_available_keeps_everything() {
        for was in [Passed, Failed, Warning, NotAvailable] {
            for w in [New, Notified, Suppressed, Resolved] {
                check(was, w, Active, NotAvailable, w);
                check(was, w, Archived, NotAvailable, w);
            }
        }
    }
}
