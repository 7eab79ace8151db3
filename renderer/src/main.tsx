import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createApi, type Api } from './bridge/api';
import { ApiContext } from './bridge/context';
import { cssVariablesResolver, theme } from './theme';

const root = createRoot(document.getElementById('root') as HTMLElement);
let api: Api | null = null;
let failure: string | null = null;
try {
  api = createApi();
} catch (err) {
  failure = (err as Error).message;
}

root.render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto">
      <Notifications position="bottom-right" />
      {api ? (
        <ApiContext.Provider value={api}>
          <App />
        </ApiContext.Provider>
      ) : (
        <p role="alert" style={{ padding: 24 }}>
          {failure}
        </p>
      )}
    </MantineProvider>
  </StrictMode>,
);
