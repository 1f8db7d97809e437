package org.vettedaccess.policy.assurance;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class AssuranceRepository implements PanacheRepositoryBase<AssuranceEntity, String> {}
