"""The guichet unique: requests (demandes), partners, referrals (orientations), appointments, letters."""
