"""Organisation services: every write to companies, sites, channels, territories, dealerships, regions."""
