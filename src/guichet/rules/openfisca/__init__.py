"""The OpenFisca-France adapter: national benefits for a household and a month, single or in batches."""
