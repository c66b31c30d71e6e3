"""The editors' room: editions of fiches, their versions, the review workflow, checks and differences."""
