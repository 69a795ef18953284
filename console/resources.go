package console

func (s *server) resourceRoutes(api, stream func(string, handler)) {}
