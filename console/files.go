package console

func (s *server) fileRoutes(api func(string, handler)) {}
