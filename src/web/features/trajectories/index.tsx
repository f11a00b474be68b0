import { defineFeature } from '../types';
import { texts } from './texts';
import { TrajectoriesPage } from './TrajectoriesPage';
import { TrajectoryDetailPage } from './TrajectoryDetailPage';
import { TrajectoryNewPage } from './TrajectoryNewPage';

/** Trajectories (traject): my work, the organisation's list, a trajectory with its contact log, starting one. */
export const trajectories = defineFeature({
  name: 'trajectories',
  routes: [
    { path: '/trajectories', element: <TrajectoriesPage />, permission: 'trajectory:read' },
    { path: '/trajectories/new', element: <TrajectoryNewPage />, permission: 'trajectory:write' },
    { path: '/trajectories/:id', element: <TrajectoryDetailPage />, permission: 'trajectory:read' },
  ],
  nav: [{ to: '/trajectories', label: 'trajectories.nav', permission: 'trajectory:read' }],
  texts,
});
