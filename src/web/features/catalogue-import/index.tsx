import { CatalogueImportPage } from '../../pages/CatalogueImportPage';
import { defineFeature } from '../types';
import { texts } from './texts';

/** The network admin's HSDS 3.0 import of the catalogue (POST /api/hsds/imports). */
export const catalogueImport = defineFeature({
  name: 'catalogue-import',
  routes: [{ path: '/offers/import', element: <CatalogueImportPage />, permission: 'catalogue:import' }],
  nav: [{ to: '/offers/import', label: 'catalogueImport.nav', permission: 'catalogue:import' }],
  texts,
});
