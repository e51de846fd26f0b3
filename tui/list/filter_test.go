package list

// finishFilter runs the filter's search to its end, as the steps its
// commands send back would.
func finishFilter(m Model) Model {
	for m.scanning() {
		m, _ = m.Update(filterStepMsg{Gen: m.f.gen})
	}
	return m
}
