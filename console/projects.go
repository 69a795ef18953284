package console

import (
	"context"
	"net/http"
	"time"

	"github.com/sluice-dev/sluice"
)

// Project is a project in the switcher and on its page.
type Project struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	DisplayName string    `json:"displayName"`
	Comment     string    `json:"comment"`
	Owner       string    `json:"owner"`
	CreatedAt   time.Time `json:"createdAt"`
}

// ProjectDetail is a project with what the signed-in user may do in it, which the page uses to show or hide
// controls (the server decides again on every change).
type ProjectDetail struct {
	Project
	Can Abilities `json:"can"`
}

// Abilities are the signed-in user's rights in a project, as the core's Authorize answers them.
type Abilities struct {
	Write  bool `json:"write"`  // create, edit, commit and deploy files; upload and delete resources
	Manage bool `json:"manage"` // members; create, share and install packages
}

func projectOut(p *sluice.Project) Project {
	return Project{ID: p.ID, Name: p.Name, DisplayName: p.DisplayName, Comment: p.Comment, Owner: p.OwnerName, CreatedAt: p.CreatedAt}
}

func (s *server) projectRoutes(api func(string, handler)) {
	api("GET /console/api/projects", s.listProjects)
	api("GET /console/api/projects/{project}", s.getProject)
}

// listProjects pages through the user's projects by name: ?prefix=&marker=&limit=.
func (s *server) listProjects(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	limit, err := intParam(r, "limit", 100, 1, 1000)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	projects, total, err := s.Projects.FindProjects(ctx, sluice.ProjectFilter{Prefix: q.Get("prefix"), After: q.Get("marker"), Limit: limit})
	if err != nil {
		return nil, err
	}
	page := Page[Project]{Items: make([]Project, 0, len(projects)), TotalCount: total}
	for _, p := range projects {
		page.Items = append(page.Items, projectOut(p))
	}
	return page, nil
}

func (s *server) getProject(ctx context.Context, r *http.Request, _ []byte) (any, error) {
	p, err := s.Projects.Authorize(ctx, projectRef(r), sluice.Read)
	if err != nil {
		return nil, err
	}
	_, werr := s.Projects.Authorize(ctx, projectRef(r), sluice.Write)
	_, merr := s.Projects.Authorize(ctx, projectRef(r), sluice.Manage)
	return ProjectDetail{Project: projectOut(p), Can: Abilities{Write: werr == nil, Manage: merr == nil}}, nil
}
