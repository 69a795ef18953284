package console

func (s *server) lineageRoutes(api func(string, handler)) {}
