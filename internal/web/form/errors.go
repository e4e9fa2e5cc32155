package form

// Errors maps a field's name (the API's field name, which is also the form's)
// to the message shown beside that field. A nil Errors is empty and safe to
// read, also from templates (index on a nil map is "").
type Errors map[string]string

// Add records msg for field unless the field already has a message: the first
// problem found is the one worth fixing first.
func (e Errors) Add(field, msg string) {
	if _, ok := e[field]; !ok {
		e[field] = msg
	}
}

// Any reports whether some field has a message.
func (e Errors) Any() bool { return len(e) > 0 }
