import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, type NavigateOptions, type To } from 'react-router-dom';
import './styles.css';
import { App } from './App';
import { AuthProvider } from './auth';
import { features } from './features';
import { startI18n } from './i18n';

startI18n(features);

// React Router types navigate() as `void | Promise<void>` because a data router returns a promise; this app uses
// <BrowserRouter>, whose navigate() returns nothing, so it says so (the augmentation React Router's docs give)
declare module 'react-router' {
  interface NavigateFunction {
    (to: To, options?: NavigateOptions): void;
    (delta: number): void;
  }
}

const root = document.getElementById('root');
if (!root) throw new Error('#root missing in index.html');

createRoot(root).render(
  <StrictMode>
    <BrowserRouter>
      <AuthProvider>
        <App />
      </AuthProvider>
    </BrowserRouter>
  </StrictMode>,
);
