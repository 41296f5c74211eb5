"""Reference data shipped with customs-kg: country names, unions, a customs gazetteer."""
