"""Access to rights: rights assessments with OpenFisca-France, the commune's own aids, non-take-up campaigns."""
