package console

func (s *server) packageRoutes(api func(string, handler)) {}
