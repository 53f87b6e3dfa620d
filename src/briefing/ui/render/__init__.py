"""Rich text for the screens: markers, fitted lines, an item's detail. No widgets here."""
